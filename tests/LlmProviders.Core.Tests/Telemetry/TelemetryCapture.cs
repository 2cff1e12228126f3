using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using LlmProviders.Telemetry;

namespace LlmProviders.Tests.Telemetry;

/// <summary>A meter factory whose meters belong to one test (so its listener sees no other test's measurements).</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}

/// <summary>One recorded measurement: instrument, value and tags.</summary>
internal sealed record Recorded(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? this[string tag] => Tags.GetValueOrDefault(tag);
}

/// <summary>Listens to the telemetry of one test: every measurement of its meter factory's meters, every span of one route.</summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly MeterListener? _meters;
    private readonly ActivityListener? _spans;
    private readonly string _route;

    public TelemetryCapture(TestMeterFactory factory, string route, bool metrics = true, bool traces = true)
    {
        _route = route;
        if (metrics)
        {
            _meters = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (ReferenceEquals(instrument.Meter.Scope, factory))
                    {
                        Instruments[instrument.Name] = instrument;
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _meters.Start();
        }

        if (traces)
        {
            _spans = new ActivityListener
            {
                ShouldListenTo = source => source.Name == LlmProvidersTelemetry.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (Equals(activity.GetTagItem("llmproviders.route"), _route))
                    {
                        Spans.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_spans);
        }
    }

    public ConcurrentDictionary<string, Instrument> Instruments { get; } = new();

    public ConcurrentQueue<Recorded> Measurements { get; } = new();

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public IReadOnlyList<Recorded> Of(string instrument) => Measurements.Where(m => m.Instrument == instrument).ToList();

    public Activity Span(string name) => Spans.Single(s => s.DisplayName == name);

    public void Observe() => _meters?.RecordObservableInstruments();

    public void Dispose()
    {
        _meters?.Dispose();
        _spans?.Dispose();
    }

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        Measurements.Enqueue(new Recorded(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }
}
