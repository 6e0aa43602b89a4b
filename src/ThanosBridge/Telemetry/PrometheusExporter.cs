using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ThanosBridge.Core.Telemetry;

namespace ThanosBridge.Telemetry;

/// <summary>
/// Aggregates the measurements of the bridge's meter (<see cref="BridgeMetrics.MeterName"/>) created from one
/// <see cref="IMeterFactory"/> (so that hosts, e.g. tests, never see each other's measurements) and writes them in
/// the Prometheus text exposition format 0.0.4 (docs/metrics.md). Only the bridge's meter is exported: the built-in
/// .NET meters (ASP.NET Core, HttpClient, runtime) are left out on purpose. Start it before the instruments record:
/// a measurement made before is not seen.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The Content-Type of the text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly MeterListener listener;
    private readonly ConcurrentDictionary<Instrument, InstrumentState> states = new();
    private readonly Lock collectGate = new();
    private readonly ILogger logger;

    public PrometheusExporter(IMeterFactory meterFactory, ILogger<PrometheusExporter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == BridgeMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    var state = states.GetOrAdd(instrument, InstrumentState.For);
                    l.EnableMeasurementEvents(instrument, state);
                }
            },
            MeasurementsCompleted = (instrument, _) => states.TryRemove(instrument, out InstrumentState? _),
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => ((InstrumentState)state!).Record((double)value, tags));
        listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<short>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        listener.Start();
    }

    /// <summary>Observes the gauges and writes every family: HELP, TYPE and samples, families and series sorted.</summary>
    public string Collect()
    {
        lock (collectGate)
        {
            foreach (var state in states.Values)
            {
                state.BeginCollection();
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

            var text = new StringBuilder();
            foreach (var family in states.Values.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                WriteFamily(text, family.Key, family.ToList());
            }

            return text.ToString();
        }
    }

    public void Dispose() => listener.Dispose();

    private static void WriteFamily(StringBuilder text, string name, List<InstrumentState> instruments)
    {
        var first = instruments[0];
        var samples = new Dictionary<string, Sample>(StringComparer.Ordinal);
        foreach (var state in instruments.Where(s => s.Kind == first.Kind))
        {
            foreach (var (labels, sample) in state.Snapshot())
            {
                samples[labels] = samples.TryGetValue(labels, out var existing) ? existing.Merge(sample, first.Kind) : sample;
            }
        }

        text.Append("# HELP ").Append(name).Append(' ').Append(PrometheusNaming.EscapeHelp(first.Help)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(first.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        }).Append('\n');
        foreach (var (labels, sample) in samples.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (first.Kind == MetricKind.Histogram)
            {
                for (var i = 0; i < sample.Bounds!.Count; i++)
                {
                    var le = "le=\"" + PrometheusNaming.FormatValue(sample.Bounds[i]) + "\"";
                    Line(text, name + "_bucket", labels.Length == 0 ? le : labels + "," + le, sample.CumulativeCounts![i]);
                }

                Line(text, name + "_bucket", labels.Length == 0 ? "le=\"+Inf\"" : labels + ",le=\"+Inf\"", sample.Count);
                Line(text, name + "_sum", labels, sample.Value);
                Line(text, name + "_count", labels, sample.Count);
            }
            else
            {
                Line(text, name, labels, sample.Value);
            }
        }
    }

    private static void Line(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(PrometheusNaming.FormatValue(value)).Append('\n');
    }
}
