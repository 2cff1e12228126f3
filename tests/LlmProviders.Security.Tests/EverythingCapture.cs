using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Security.Tests;

/// <summary>
/// Captures, as text, everything an application could see of a call: every log line at Trace level with its state, scopes and
/// exception; every metric measurement's instrument and tags (any meter); every span's name, tags, events and status (any source).
/// </summary>
internal sealed class EverythingCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _texts = new();
    private readonly MeterListener _meters;
    private readonly ActivityListener _spans;
    private IExternalScopeProvider? _scopes;

    public EverythingCapture()
    {
        _meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => AddMeasurement(i, tags));
        _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => AddMeasurement(i, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => AddMeasurement(i, tags));
        _meters.Start();
        _spans = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = AddSpan,
        };
        ActivitySource.AddActivityListener(_spans);
    }

    /// <summary>Gets how many log lines, measurements and spans were captured.</summary>
    public int LogLines { get; private set; }

    public int Measurements { get; private set; }

    public int Spans { get; private set; }

    /// <summary>Adds any other text (exception, result, options ToString()).</summary>
    public void Add(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            _texts.Enqueue(text);
        }
    }

    /// <summary>Every captured text, one per line.</summary>
    public string AllText()
    {
        _meters.RecordObservableInstruments();
        return string.Join("\n", _texts);
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        _meters.Dispose();
        _spans.Dispose();
    }

    private void AddMeasurement(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sb = new StringBuilder("metric ").Append(instrument.Meter.Name).Append('/').Append(instrument.Name);
        foreach (var tag in tags)
        {
            sb.Append(' ').Append(tag.Key).Append('=').Append(Describe(tag.Value));
        }

        Measurements++;
        _texts.Enqueue(sb.ToString());
    }

    private void AddSpan(Activity activity)
    {
        var sb = new StringBuilder("span ").Append(activity.Source.Name).Append('/').Append(activity.DisplayName)
            .Append(' ').Append(activity.OperationName).Append(" status=").Append(activity.Status).Append(' ').Append(activity.StatusDescription);
        foreach (var tag in activity.TagObjects)
        {
            sb.Append(' ').Append(tag.Key).Append('=').Append(Describe(tag.Value));
        }

        foreach (var item in activity.Baggage)
        {
            sb.Append(" baggage ").Append(item.Key).Append('=').Append(item.Value);
        }

        foreach (var e in activity.Events)
        {
            sb.Append(" event ").Append(e.Name);
            foreach (var tag in e.Tags)
            {
                sb.Append(' ').Append(tag.Key).Append('=').Append(Describe(tag.Value));
            }
        }

        Spans++;
        _texts.Enqueue(sb.ToString());
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable items => string.Join(",", Flatten(items)),
        _ => value.ToString() ?? string.Empty,
    };

    private static IEnumerable<string> Flatten(System.Collections.IEnumerable items)
    {
        foreach (var item in items)
        {
            yield return item?.ToString() ?? "null";
        }
    }

    private sealed class CapturingLogger(EverythingCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var sb = new StringBuilder("log ").Append(logLevel).Append(' ').Append(category).Append(' ').Append(eventId.Name).Append(": ")
                .Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var pair in values)
                {
                    sb.Append(" {").Append(pair.Key).Append('=').Append(Describe(pair.Value)).Append('}');
                }
            }

            owner._scopes?.ForEachScope(
                static (scope, builder) =>
                {
                    builder.Append(" scope ").Append(scope);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var pair in pairs)
                        {
                            builder.Append(" {").Append(pair.Key).Append('=').Append(Describe(pair.Value)).Append('}');
                        }
                    }
                },
                sb);
            if (exception is not null)
            {
                sb.Append(" exception ").Append(exception);
            }

            owner.LogLines++;
            owner._texts.Enqueue(sb.ToString());
        }
    }
}
