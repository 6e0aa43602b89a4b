namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>One series of a matrix result, with its samples in the order the server returned them.</summary>
public sealed record Series(LabelSet Labels, IReadOnlyList<Sample> Samples);
