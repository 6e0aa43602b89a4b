using System.Text;

namespace ThanosBridge.Core.Packaging;

/// <summary>
/// <c>manifest.json</c> of a payload (cmmo-output.md §4.5 with Bridge decisions a–c; koku-ingestion.md §1.6).
/// <see cref="ToJson"/> gives Go's <c>json.MarshalIndent(m, "", " ")</c> of CMMO's manifest struct.
/// </summary>
/// <param name="Uuid">Version-4 UUID; also the prefix of every CSV name.</param>
/// <param name="ClusterId">The OpenShift cluster id; koku looks the source up by it.</param>
/// <param name="Version">What koku stores as <c>operator_version</c>; the bridge writes <see cref="BridgeVersion"/>.</param>
/// <param name="Date">Packaging time (written with nanosecond precision, trailing zeros trimmed).</param>
/// <param name="Files">Cost CSV names in the tar, in index order; <c>[]</c> when empty.</param>
/// <param name="ResourceOptimizationFiles">ROS CSV names in the tar, in index order; <c>[]</c> when empty.</param>
/// <param name="Start">00:00:00 UTC of the payload's day.</param>
/// <param name="End"><c>HH:59:59</c> of the last hour included, same UTC day.</param>
/// <param name="CrStatus">The <c>cr_status</c> object.</param>
public sealed record Manifest(
    Guid Uuid,
    string ClusterId,
    string Version,
    DateTimeOffset Date,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> ResourceOptimizationFiles,
    DateTimeOffset Start,
    DateTimeOffset End,
    CrStatus CrStatus)
{
    /// <summary>
    /// The <c>version</c> the bridge writes. koku stores it verbatim as <c>operator_version</c> (it is not a known CMMO
    /// commit) and parses the text after the last <c>:</c> as a version: ≥ 4.4.2 means "no operator update available"
    /// and ≥ 4.0.0 enables VM core cost models (koku-ingestion.md §1.6). Keep the suffix at or above 4.4.2.
    /// </summary>
    public const string BridgeVersion = "thanos-bridge:4.4.2";

    /// <summary>Always false, as in the upstream CMMO build; koku stores it as <c>operator_certified</c>.</summary>
    public const bool Certified = false;

    /// <summary>Always true: every payload carries whole UTC days from 00:00, so koku replaces days by hour count.</summary>
    public const bool DailyReports = true;

    /// <summary>The manifest as Go writes it: one-space indent, no trailing newline.</summary>
    public string ToJson()
    {
        var json = new GoJsonWriter();
        json.BeginObject();
        json.Name("uuid").String(Uuid.ToString("D"));
        json.Name("cluster_id").String(ClusterId);
        json.Name("version").String(Version);
        json.Name("date").Time(Date);
        WriteList(json.Name("files"), Files);
        WriteList(json.Name("resource_optimization_files"), ResourceOptimizationFiles);
        json.Name("start").Time(Start);
        json.Name("end").Time(End);
        CrStatus.WriteTo(json.Name("cr_status"));
        json.Name("certified").Bool(Certified);
        json.Name("daily_reports").Bool(DailyReports);
        json.EndObject();
        return json.ToString();
    }

    /// <summary>The UTF-8 bytes of <see cref="ToJson"/> (no BOM), as stored in the tar.</summary>
    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(ToJson());

    private static void WriteList(GoJsonWriter json, IReadOnlyList<string> items)
    {
        json.BeginArray();
        foreach (var item in items)
        {
            json.String(item);
        }

        json.EndArray();
    }
}
