using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using ThanosBridge.Core.Metrics;

namespace ThanosBridge.Telemetry;

/// <summary>
/// Publishes the instruments of the bridge's meter (<see cref="BridgeMetrics.MeterName"/>) created from one
/// <see cref="IMeterFactory"/> as prometheus-net metrics in a registry of their own, which /metrics serves. Names, types
/// and buckets follow <see cref="PrometheusNaming"/>; the help text is the instrument's description. Only the bridge's
/// meter is exported: the built-in .NET meters go over OTLP when it is configured (docs/observability.md).
/// </summary>
/// <remarks>
/// Not prometheus-net's own <c>MeterAdapter</c>: it names a metric after the meter and the instrument
/// (<c>thanosbridge_runs</c>), exports counters as gauges and puts the unit into the help text, which would rename every
/// metric the alerts, dashboard and runbooks use. A metric is registered at its instrument's first measurement, when its
/// label names are known; an observable gauge is measured at every scrape, and a label set it no longer reports (a
/// cluster gone) is removed. Start the adapter before the instruments record: a measurement made before is not seen.
/// </remarks>
public sealed class PrometheusMeterAdapter : IDisposable
{
    private readonly MeterListener listener;
    private readonly IMetricFactory factory;
    private readonly ConcurrentDictionary<Instrument, Export> exports = new();
    private readonly Lock collectGate = new();
    private readonly ILogger logger;

    public PrometheusMeterAdapter(IMeterFactory meterFactory, ILogger<PrometheusMeterAdapter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        Registry = Metrics.NewCustomRegistry();
        factory = Metrics.WithCustomRegistry(Registry);
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BridgeMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    l.EnableMeasurementEvents(instrument, exports.GetOrAdd(instrument, i => new Export(i, factory)));
                }
            },
            MeasurementsCompleted = (instrument, _) => exports.TryRemove(instrument, out Export? _),
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<float>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => Record(state, (double)value, tags));
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<short>((_, value, tags, state) => Record(state, value, tags));
        listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => Record(state, value, tags));
        listener.Start();
        Registry.AddBeforeCollectCallback(ObserveGauges);
    }

    /// <summary>The registry /metrics serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The exposition as a scrape gets it (text format 0.0.4).</summary>
    public async Task<string> CollectAsync(CancellationToken cancellationToken = default)
    {
        using var text = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(text, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    public void Dispose() => listener.Dispose();

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is Export export && !export.Record(value, tags))
        {
            Log.LabelsChanged(logger, export.Name);
        }
    }

    /// <summary>Runs before each scrape is written: asks the observable instruments for their values.</summary>
    private void ObserveGauges()
    {
        lock (collectGate)
        {
            var observable = exports.Values.Where(e => e.Instrument.IsObservable).ToList();
            foreach (var export in observable)
            {
                export.BeginObservation();
            }

            try
            {
                listener.RecordObservableInstruments();
            }
            catch (AggregateException e)
            {
                // Every other instrument was observed; the failing ones are missing from this scrape only.
                foreach (var inner in e.InnerExceptions)
                {
                    Log.ObservationFailed(logger, inner);
                }
            }

            foreach (var export in observable)
            {
                export.EndObservation();
            }
        }
    }

    /// <summary>One instrument's prometheus-net metric, registered at its first measurement.</summary>
    private sealed class Export(Instrument instrument, IMetricFactory factory)
    {
        private readonly Lock gate = new();
        private readonly MetricKind kind = PrometheusNaming.KindOf(instrument);
        private readonly HashSet<string> observed = new(StringComparer.Ordinal);
        private string[]? labelNames;
        private Collector? metric;

        public Instrument Instrument { get; } = instrument;

        public string Name { get; } = PrometheusNaming.MetricName(instrument);

        // prometheus-net 8.2.1 writes HELP as given; the text format wants backslash and line feed escaped there.
        private string Help => (string.IsNullOrWhiteSpace(Instrument.Description) ? Instrument.Name : Instrument.Description)
            .Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

        /// <returns>False when the measurement's label names differ from the metric's (it is dropped).</returns>
        public bool Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new (string Name, string Value)[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                labels[i] = (PrometheusNaming.Sanitize(tags[i].Key), Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
            }

            Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var names = Array.ConvertAll(labels, l => l.Name);
            var values = Array.ConvertAll(labels, l => l.Value);
            lock (gate)
            {
                metric ??= Create(labelNames = names);
                if (!labelNames!.AsSpan().SequenceEqual(names))
                {
                    return false;
                }

                if (Instrument.IsObservable)
                {
                    observed.Add(string.Join('\0', values));
                }
            }

            switch (metric)
            {
                case Histogram histogram:
                    histogram.WithLabels(values).Observe(value);
                    break;
                case Counter counter when Instrument.IsObservable:
                    counter.WithLabels(values).IncTo(value);
                    break;
                case Counter counter:
                    counter.WithLabels(values).Inc(value);
                    break;
                case Gauge gauge when Instrument.IsObservable || Instrument.GetType().GetGenericTypeDefinition() == typeof(Gauge<>):
                    gauge.WithLabels(values).Set(value);
                    break;
                case Gauge gauge:
                    gauge.WithLabels(values).Inc(value); // an up-down counter's measurement is a change
                    break;
            }

            return true;
        }

        public void BeginObservation()
        {
            lock (gate)
            {
                observed.Clear();
            }
        }

        /// <summary>Removes the label sets the callback did not report this time.</summary>
        public void EndObservation()
        {
            lock (gate)
            {
                if (metric is not Gauge gauge || labelNames is not { Length: > 0 })
                {
                    return;
                }

                foreach (var values in gauge.GetAllLabelValues().ToList())
                {
                    if (!observed.Contains(string.Join('\0', values)))
                    {
                        gauge.RemoveLabelled(values);
                    }
                }
            }
        }

        private Collector Create(string[] names) => kind switch
        {
            MetricKind.Counter => factory.CreateCounter(Name, Help, new CounterConfiguration { LabelNames = names }),
            MetricKind.Histogram => factory.CreateHistogram(Name, Help, new HistogramConfiguration
            {
                LabelNames = names,
                Buckets = [.. PrometheusNaming.BucketsOf(Instrument)],
            }),
            _ => factory.CreateGauge(Name, Help, new GaugeConfiguration { LabelNames = names }),
        };
    }
}
