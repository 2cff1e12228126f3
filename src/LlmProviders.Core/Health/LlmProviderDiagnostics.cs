using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Http;
using LlmProviders.Routing;

namespace LlmProviders.Health;

/// <summary>
/// The provider test: the provider's cheap check (reachability, key), then its model list (model), each bounded by
/// <see cref="HealthMonitorOptions.Timeout"/>. Every message goes through <see cref="SecretRedactor"/>.
/// </summary>
internal sealed class LlmProviderDiagnostics : ILlmProviderDiagnostics
{
    private const int ModelsShown = 10;

    private readonly ProviderRegistry _registry;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="registry">The registered providers.</param>
    /// <param name="timeout">How long each step may take.</param>
    /// <param name="time">The clock.</param>
    public LlmProviderDiagnostics(ProviderRegistry registry, TimeSpan timeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        _registry = registry;
        _timeout = timeout;
        _time = time;
    }

    /// <inheritdoc />
    public Task<LlmProviderTestReport> TestProviderAsync(string providerName, string? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        var provider = _registry.Resolve(providerName) ?? throw new ArgumentException(
            $"No provider named '{providerName}' is registered, so it cannot be tested. Pass a name from ILlmProviderManager.ListProviders() (names match exactly).",
            nameof(providerName));
        return TestAsync(provider, string.IsNullOrWhiteSpace(model) ? DefaultModelOf(provider) : model.Trim(), cancellationToken);
    }

    // The provider's own default model when it describes one (ILlmProviderDescriptor), so "model available" checks what a
    // request without a model would use.
    private static string? DefaultModelOf(ILlmProvider provider) =>
        (provider as ILlmProviderDescriptor)?.DefaultModel is { Length: > 0 } model ? model : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<LlmProviderTestReport>> TestAllProvidersAsync(CancellationToken cancellationToken = default)
    {
        var tests = new List<Task<LlmProviderTestReport>>();
        foreach (var status in _registry.ListProviders())
        {
            if (!status.IsRouter && _registry.Resolve(status.Name) is { } provider)
            {
                tests.Add(TestAsync(provider, DefaultModelOf(provider), cancellationToken));
            }
        }

        return await Task.WhenAll(tests).ConfigureAwait(false);
    }

    private async Task<LlmProviderTestReport> TestAsync(ILlmProvider provider, string? model, CancellationToken cancellationToken)
    {
        var testedAt = _time.GetUtcNow();
        long start = _time.GetTimestamp();
        var checks = new List<LlmProviderCheck>(3);
        var health = await StepAsync(provider.CheckHealthAsync, cancellationToken).ConfigureAwait(false);
        bool keyAccepted = CheckConnection(provider, health, checks);
        if (keyAccepted)
        {
            checks.Add(await CheckModelAsync(provider, model, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            checks.Add(Skipped(LlmProviderCheck.ModelAvailable, "Not checked: the provider could not be reached or refused the key."));
        }

        bool passed = true;
        foreach (var check in checks)
        {
            passed &= check.Status != LlmProviderCheckStatus.Failed;
        }

        return new LlmProviderTestReport
        {
            ProviderName = provider.Name,
            Kind = provider.Kind,
            Model = model,
            TestedAt = testedAt,
            Duration = _time.GetElapsedTime(start),
            Passed = passed,
            Checks = checks,
        };
    }

    // Adds the reachability and key checks; returns whether the model can be checked.
    private bool CheckConnection(ILlmProvider provider, StepResult<ProviderHealthResult> step, List<LlmProviderCheck> checks)
    {
        string name = provider.Name;
        if (step.TimedOut)
        {
            checks.Add(Failed(LlmProviderCheck.Reachable, $"'{name}' did not answer within {Seconds(_timeout)} s.",
                "Check the base URL, the network and any proxy or firewall; a local server may be starting or overloaded. Raise Health:Timeout if it is only slow."));
            checks.Add(Skipped(LlmProviderCheck.KeyAccepted, "Not checked: the provider did not answer."));
            return false;
        }

        var error = step.Error ?? step.Value?.Error;
        if (error is null)
        {
            var result = step.Value!;
            checks.Add(new LlmProviderCheck
            {
                Name = LlmProviderCheck.Reachable,
                Status = result.Status == LlmHealthStatus.Healthy ? LlmProviderCheckStatus.Passed : LlmProviderCheckStatus.Warning,
                Message = Redact($"'{name}' answered in {Milliseconds(result.Latency)} ms{(result.Message is null ? "." : ": " + result.Message)}"),
                Fix = result.Status == LlmHealthStatus.Healthy ? null : "The provider reports a problem on its side; check its status page, or route around it.",
            });
            checks.Add(Passed(LlmProviderCheck.KeyAccepted, provider.IsLocal
                ? $"'{name}' answered; a local provider usually needs no key."
                : $"'{name}' accepted the configured key."));
            return true;
        }

        string status = error.StatusCode is { } code ? string.Create(CultureInfo.InvariantCulture, $" (HTTP {(int)code})") : string.Empty;
        switch (error.Kind)
        {
            case LlmErrorKind.ProviderUnavailable when error.StatusCode is null:
                checks.Add(Failed(LlmProviderCheck.Reachable, Redact($"'{name}' could not be reached: {error.Message}"),
                    "Check the base URL (scheme, host, port), DNS, the network, and any proxy or firewall; for a local server, that it is running."));
                checks.Add(Skipped(LlmProviderCheck.KeyAccepted, "Not checked: the provider could not be reached."));
                return false;
            case LlmErrorKind.Timeout:
                checks.Add(Failed(LlmProviderCheck.Reachable, Redact($"'{name}' did not answer in time: {error.Message}"),
                    "Check the base URL, the network and any proxy or firewall; raise the provider's timeout if it is only slow."));
                checks.Add(Skipped(LlmProviderCheck.KeyAccepted, "Not checked: the provider did not answer."));
                return false;
            case LlmErrorKind.Authentication:
                checks.Add(Passed(LlmProviderCheck.Reachable, $"'{name}' answered{status}."));
                checks.Add(Failed(LlmProviderCheck.KeyAccepted, $"'{name}' rejected the API key{status}.",
                    "Check the key this provider is configured with (its ApiKey option, the environment variable or secret it is read from); create a new key in the provider's console if it was revoked or expired."));
                return false;
            case LlmErrorKind.PermissionDenied:
                checks.Add(Passed(LlmProviderCheck.Reachable, $"'{name}' answered{status}."));
                checks.Add(Failed(LlmProviderCheck.KeyAccepted, $"'{name}' accepted the key but refused access{status}.",
                    "Give the key (or its project/organization) access to this API in the provider's console, or use a key that has it."));
                return false;
            case LlmErrorKind.QuotaExhausted:
                checks.Add(Passed(LlmProviderCheck.Reachable, $"'{name}' answered{status}."));
                checks.Add(new LlmProviderCheck
                {
                    Name = LlmProviderCheck.KeyAccepted,
                    Status = LlmProviderCheckStatus.Warning,
                    Message = Redact($"'{name}' accepted the key, but its quota or credit is used up{status}: {error.Message}"),
                    Fix = "Add credit or raise the quota in the provider's console, or route to another provider.",
                });
                return true;
            default:
                bool answered = error.StatusCode is not null;
                checks.Add(new LlmProviderCheck
                {
                    Name = LlmProviderCheck.Reachable,
                    Status = answered ? LlmProviderCheckStatus.Warning : LlmProviderCheckStatus.Failed,
                    Message = Redact($"'{name}' answered the check with an error{status} ({error.Kind}): {error.Message}"),
                    Fix = answered
                        ? "The provider is up but failing or busy; retry later or check its status page."
                        : "Check the base URL and the network; see the message for the cause.",
                });
                checks.Add(answered
                    ? Passed(LlmProviderCheck.KeyAccepted, $"'{name}' did not refuse the key.")
                    : Skipped(LlmProviderCheck.KeyAccepted, "Not checked: the check failed before the key could be judged."));
                return answered;
        }
    }

    private async Task<LlmProviderCheck> CheckModelAsync(ILlmProvider provider, string? model, CancellationToken cancellationToken)
    {
        string name = provider.Name;
        if ((provider.Capabilities & LlmCapabilities.ModelListing) == 0)
        {
            return Skipped(LlmProviderCheck.ModelAvailable, $"'{name}' does not list its models, so {(model is null ? "models" : $"'{model}'")} cannot be checked before a call.");
        }

        var step = await StepAsync(provider.ListModelsAsync, cancellationToken).ConfigureAwait(false);
        if (step.TimedOut)
        {
            return Warning(LlmProviderCheck.ModelAvailable, $"'{name}' did not list its models within {Seconds(_timeout)} s.", "Retry later; raise Health:Timeout if the model list is only slow.");
        }

        if (step.Error is { } error)
        {
            return error.Kind == LlmErrorKind.ModelNotFound
                ? Failed(LlmProviderCheck.ModelAvailable, Redact(error.Message), ModelFix(name))
                : Warning(LlmProviderCheck.ModelAvailable, Redact($"'{name}' could not list its models ({error.Kind}): {error.Message}"), "Retry later; the model is checked on the first call.");
        }

        var models = step.Value!;
        var shown = new List<string>(Math.Min(models.Count, ModelsShown));
        bool found = false;
        foreach (var info in models)
        {
            found |= model is not null && (string.Equals(info.Id, model, StringComparison.Ordinal) || string.Equals(info.DisplayName, model, StringComparison.Ordinal));
            if (shown.Count < ModelsShown)
            {
                shown.Add(info.Id);
            }
        }

        string listed = models.Count == 0 ? "none" : string.Join(", ", shown) + (models.Count > shown.Count ? $" … ({models.Count} in all)" : string.Empty);
        if (model is null)
        {
            return models.Count == 0
                ? Warning(LlmProviderCheck.ModelAvailable, $"'{name}' lists no models.", "Deploy or pull a model (e.g. 'ollama pull llama3.2' for Ollama), or check the key's project.")
                : Passed(LlmProviderCheck.ModelAvailable, $"'{name}' lists {models.Count} model(s): {listed}. Pass a model to check it.");
        }

        return found
            ? Passed(LlmProviderCheck.ModelAvailable, $"'{name}' serves '{model}'.")
            : Failed(LlmProviderCheck.ModelAvailable, $"'{name}' does not list '{model}'. Available: {listed}.", ModelFix(name));
    }

    private static string ModelFix(string name) =>
        $"Set the model to one '{name}' lists (model ids match exactly), or deploy/pull the model first (e.g. 'ollama pull <model>'; an Azure deployment name).";

    // Runs one step with the timeout; the caller's cancellation is thrown, the timeout and provider errors are returned.
    private async Task<StepResult<T>> StepAsync<T>(Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return new StepResult<T>(await step(linked.Token).ConfigureAwait(false), null, false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new StepResult<T>(default, null, true);
        }
        catch (LlmProviderException ex) when (ex.Kind != LlmErrorKind.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            return timeout.IsCancellationRequested && ex.Kind is LlmErrorKind.Timeout or LlmErrorKind.Cancelled
                ? new StepResult<T>(default, null, true)
                : new StepResult<T>(default, ex, false);
        }
    }

    private static LlmProviderCheck Passed(string name, string message) => new() { Name = name, Status = LlmProviderCheckStatus.Passed, Message = Redact(message) };

    private static LlmProviderCheck Skipped(string name, string message) => new() { Name = name, Status = LlmProviderCheckStatus.Skipped, Message = message };

    private static LlmProviderCheck Failed(string name, string message, string fix) => new() { Name = name, Status = LlmProviderCheckStatus.Failed, Message = Redact(message), Fix = fix };

    private static LlmProviderCheck Warning(string name, string message, string fix) => new() { Name = name, Status = LlmProviderCheckStatus.Warning, Message = Redact(message), Fix = fix };

    private static string Redact(string message) => SecretRedactor.Redact(message);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Milliseconds(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private readonly record struct StepResult<T>(T? Value, LlmProviderException? Error, bool TimedOut);
}
