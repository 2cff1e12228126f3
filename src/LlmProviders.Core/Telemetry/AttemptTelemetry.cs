using System;
using System.Diagnostics;
using System.Threading;
using Microsoft.Extensions.AI;

namespace LlmProviders.Telemetry;

/// <summary>
/// The telemetry of one attempt: its client span (<c>chat {model}</c> / <c>embeddings {model}</c>, kind Client, GenAI
/// attributes) and its measurements (duration, tokens, time to first chunk, requests, cost, in-flight). Ends exactly once.
/// </summary>
internal sealed class AttemptTelemetry
{
    private readonly RouterTelemetry _owner;
    private readonly RouterCall _call;
    private readonly string _route;
    private readonly string _operation;
    private readonly string _providerName;
    private readonly string _genAiProvider;
    private readonly string? _model;
    private readonly string? _serverAddress;
    private readonly int _serverPort;
    private readonly bool _inFlight;
    private readonly Activity? _activity;
    private int _ended;

    internal AttemptTelemetry(RouterTelemetry owner, RouterCall call, string route, string operation, string providerName, ILlmProvider provider, string? model, ChatRequest? request, bool hedged)
    {
        _owner = owner;
        _call = call;
        _route = route;
        _operation = operation;
        _providerName = providerName;
        _genAiProvider = TelemetryNames.ProviderNameOf(provider.Kind);
        _model = model;
        if (provider is ILlmProviderDescriptor { ServerEndpoint: { IsAbsoluteUri: true } endpoint })
        {
            _serverAddress = endpoint.IdnHost;
            _serverPort = endpoint.Port;
        }

        if (owner.InFlight.Enabled)
        {
            _inFlight = true;
            owner.InFlight.Add(1, new TagList
            {
                { TelemetryNames.Provider, providerName },
                { TelemetryNames.ProviderName, _genAiProvider },
                { TelemetryNames.OperationName, operation },
            });
        }

        var parent = call.Activity;
        if (RouterTelemetry.Source.HasListeners())
        {
            _activity = RouterTelemetry.Source.StartActivity(
                model is null ? operation : operation + " " + model, ActivityKind.Client, parent?.Context ?? default(ActivityContext));
        }

        if (_activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(TelemetryNames.OperationName, operation);
            activity.SetTag(TelemetryNames.ProviderName, _genAiProvider);
            activity.SetTag(TelemetryNames.RequestModel, model);
            activity.SetTag(TelemetryNames.Provider, providerName);
            activity.SetTag(TelemetryNames.Route, route);
            if (_serverAddress is not null)
            {
                activity.SetTag(TelemetryNames.ServerAddress, _serverAddress);
                activity.SetTag(TelemetryNames.ServerPort, _serverPort);
            }

            if (hedged)
            {
                activity.SetTag(TelemetryNames.Hedged, true);
            }

            if (request is not null)
            {
                if (request.Temperature is { } temperature)
                {
                    activity.SetTag(TelemetryNames.RequestTemperature, temperature);
                }

                if (request.TopP is { } topP)
                {
                    activity.SetTag(TelemetryNames.RequestTopP, topP);
                }

                if (request.MaxOutputTokens is { } max)
                {
                    activity.SetTag(TelemetryNames.RequestMaxTokens, max);
                }

                if (owner.EnableSensitiveData)
                {
                    activity.SetTag(TelemetryNames.InputMessages, TelemetryContent.Messages(request.Messages));
                }
            }
        }
    }

    /// <summary>Records the first chunk of a stream.</summary>
    /// <param name="elapsed">The time since the attempt started.</param>
    public void FirstChunk(TimeSpan elapsed)
    {
        if (_owner.TimeToFirstChunk.Enabled)
        {
            var tags = BaseTags();
            _owner.TimeToFirstChunk.Record(elapsed.TotalSeconds, tags);
        }

        _activity?.AddEvent(new ActivityEvent(TelemetryNames.FirstChunkEvent));
    }

    /// <summary>Ends a successful attempt.</summary>
    /// <param name="duration">The attempt's duration.</param>
    /// <param name="responseModel">The model that answered, if known.</param>
    /// <param name="usage">The usage, if known.</param>
    /// <param name="cost">The cost in USD, if known.</param>
    /// <param name="finishReason">Why the model stopped, if known.</param>
    /// <param name="responseId">The provider's response id, if any.</param>
    /// <param name="message">The answer (content only with sensitive data on).</param>
    /// <param name="text">The streamed text when there is no message.</param>
    public void Succeeded(TimeSpan duration, string? responseModel, UsageDetails? usage, decimal? cost, ChatFinishReason? finishReason, string? responseId, ChatMessage? message = null, string? text = null)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        _call.Succeeded(_providerName);
        var owner = _owner;
        if (owner.Duration.Enabled)
        {
            var tags = BaseTags();
            if (responseModel is not null)
            {
                tags.Add(TelemetryNames.ResponseModel, responseModel);
            }

            owner.Duration.Record(duration.TotalSeconds, tags);
        }

        if (owner.Tokens.Enabled && usage is not null)
        {
            RecordTokens(usage.InputTokenCount, TelemetryNames.Input, responseModel);
            RecordTokens(usage.OutputTokenCount, TelemetryNames.Output, responseModel);
        }

        if (cost is { } money && owner.Cost.Enabled)
        {
            owner.Cost.Add((double)money, new TagList
            {
                { TelemetryNames.Provider, _providerName },
                { TelemetryNames.ProviderName, _genAiProvider },
                { TelemetryNames.OperationName, _operation },
                { TelemetryNames.RequestModel, _model },
                { TelemetryNames.Route, _route },
            });
        }

        CountRequest(TelemetryNames.Success, null);
        EndInFlight();
        if (_activity is { } activity)
        {
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(TelemetryNames.ResponseModel, responseModel);
                activity.SetTag(TelemetryNames.ResponseId, responseId);
                if (usage?.InputTokenCount is { } input)
                {
                    activity.SetTag(TelemetryNames.InputTokens, input);
                }

                if (usage?.OutputTokenCount is { } output)
                {
                    activity.SetTag(TelemetryNames.OutputTokens, output);
                }

                if (finishReason is { } reason)
                {
                    activity.SetTag(TelemetryNames.FinishReasons, new[] { reason.Value });
                }

                if (_owner.EnableSensitiveData && (message is not null || text is not null))
                {
                    activity.SetTag(TelemetryNames.OutputMessages, TelemetryContent.Output(message, text, finishReason?.Value));
                }
            }

            activity.Stop();
        }
    }

    /// <summary>Ends a failed attempt; <paramref name="error"/> <see langword="null"/> when it was cancelled or abandoned.</summary>
    /// <param name="duration">The attempt's duration.</param>
    /// <param name="error">The error, or <see langword="null"/>.</param>
    public void Failed(TimeSpan duration, LlmProviderException? error)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        string type = error is null ? TelemetryNames.Cancelled : TelemetryNames.ErrorTypeOf(error.Kind);
        if (error is not null)
        {
            _call.LastAttemptError = type;
        }

        if (_owner.Duration.Enabled)
        {
            var tags = BaseTags();
            tags.Add(TelemetryNames.ErrorType, type);
            _owner.Duration.Record(duration.TotalSeconds, tags);
        }

        if (error?.Usage is { } usage && _owner.Tokens.Enabled)
        {
            RecordTokens(usage.InputTokenCount, TelemetryNames.Input, null);
            RecordTokens(usage.OutputTokenCount, TelemetryNames.Output, null);
        }

        CountRequest(error is null ? TelemetryNames.Cancelled : TelemetryNames.Failure, type);
        EndInFlight();
        if (_activity is { } activity)
        {
            activity.SetTag(TelemetryNames.ErrorType, type);
            if (error is not null)
            {
                if (error.StatusCode is { } status)
                {
                    activity.SetTag("http.response.status_code", (int)status);
                }

                activity.SetStatus(ActivityStatusCode.Error, type);
            }

            activity.Stop();
        }
    }

    private TagList BaseTags()
    {
        var tags = new TagList
        {
            { TelemetryNames.OperationName, _operation },
            { TelemetryNames.ProviderName, _genAiProvider },
            { TelemetryNames.RequestModel, _model },
            { TelemetryNames.Provider, _providerName },
        };
        if (_serverAddress is not null)
        {
            tags.Add(TelemetryNames.ServerAddress, _serverAddress);
            tags.Add(TelemetryNames.ServerPort, _serverPort);
        }

        return tags;
    }

    private void RecordTokens(long? count, string type, string? responseModel)
    {
        if (count is not { } value)
        {
            return;
        }

        var tags = BaseTags();
        tags.Add(TelemetryNames.TokenType, type);
        if (responseModel is not null)
        {
            tags.Add(TelemetryNames.ResponseModel, responseModel);
        }

        _owner.Tokens.Record(value, tags);
    }

    private void CountRequest(string outcome, string? errorType)
    {
        if (!_owner.Requests.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { TelemetryNames.Provider, _providerName },
            { TelemetryNames.ProviderName, _genAiProvider },
            { TelemetryNames.OperationName, _operation },
            { TelemetryNames.Route, _route },
            { TelemetryNames.Outcome, outcome },
        };
        if (errorType is not null)
        {
            tags.Add(TelemetryNames.ErrorType, errorType);
        }

        _owner.Requests.Add(1, tags);
    }

    private void EndInFlight()
    {
        if (_inFlight)
        {
            _owner.InFlight.Add(-1, new TagList
            {
                { TelemetryNames.Provider, _providerName },
                { TelemetryNames.ProviderName, _genAiProvider },
                { TelemetryNames.OperationName, _operation },
            });
        }
    }
}
