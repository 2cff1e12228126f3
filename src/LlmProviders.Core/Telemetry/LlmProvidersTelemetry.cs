namespace LlmProviders.Telemetry;

/// <summary>
/// The names under which LlmProviders publishes its metrics and traces (SPEC H3): pass them to OpenTelemetry's
/// <c>AddMeter</c> and <c>AddSource</c>.
/// </summary>
public static class LlmProvidersTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every LlmProviders instrument belongs to.</summary>
    public const string MeterName = "LlmProviders";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of the router's spans and the per-attempt client spans.</summary>
    public const string ActivitySourceName = "LlmProviders";
}
