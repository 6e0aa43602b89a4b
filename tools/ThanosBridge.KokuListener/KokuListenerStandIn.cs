using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Npgsql;
using NpgsqlTypes;
using ThanosBridge.Adapters.Kafka;

namespace ThanosBridge.KokuListener;

/// <summary>What the stand-in does with a message it reads, after the download.</summary>
public enum ListenerAction
{
    /// <summary>Record the manifest and complete every file (koku's success path).</summary>
    Complete,

    /// <summary>Record the manifest and fail its files: status FAILED and a failed processing step (e.g. a file koku cannot insert, §7 gotcha 18).</summary>
    FailProcessing,

    /// <summary>Commit the message without doing anything: lost before download (e.g. the listener's UNKNOWN error path, §1.1).</summary>
    Drop,
}

/// <summary>What happened to one announcement.</summary>
/// <param name="Result">completed, already_processed, processing_failed, download_failed, unknown_source, dropped.</param>
public sealed record ListenerOutcome(string Key, string RequestId, Guid? Uuid, string Result, string? Detail);

/// <summary>
/// Plays koku's listener for the bridge's tests and demo (koku-ingestion.md §1.1–§1.8, §4.5): consumes
/// <c>platform.upload.announce</c> as consumer group <paramref name="groupId"/> with manual commits, skips messages without
/// the header <c>service: hccm</c>, downloads the URL with a plain GET (an HTTP or connection failure leaves no manifest
/// row, as in koku), reads <c>manifest.json</c> from the tar.gz, finds the provider by org and exact credentials, and
/// writes the manifest row (get-or-create on provider and uuid) and one status row per listed file; files already
/// completed are skipped. Then completes or fails the files as asked.
/// </summary>
/// <param name="objectKeyPrefix">Only announcements of objects whose key starts with this prefix are processed; the others are committed untouched.</param>
public sealed class KokuListenerStandIn(string bootstrapServers, string groupId, NpgsqlDataSource koku, HttpClient http, string objectKeyPrefix)
{
    private const string Topic = "platform.upload.announce";

    /// <summary>
    /// Processes every message from the group's committed position up to the end of each partition as it is when called
    /// (a run that returned has every announcement it got acknowledged below that mark), then commits.
    /// </summary>
    public async Task<IReadOnlyList<ListenerOutcome>> ProcessAvailableAsync(Func<string, ListenerAction> actionForCluster, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actionForCluster);
        BundledLibrdkafka.EnsureLoaded();
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        List<TopicPartition> partitions;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build())
        {
            partitions = [.. admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(Topic, p.PartitionId))];
        }

        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(c => c.Partition.Value, c => c.Offset);
        var ends = new Dictionary<int, long>();
        var starts = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            var marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            var from = committed.TryGetValue(partition.Partition.Value, out var c) && c.Value >= 0 ? c.Value : marks.Low.Value;
            if (marks.High.Value > from)
            {
                ends[partition.Partition.Value] = marks.High.Value;
                starts.Add(new TopicPartitionOffset(partition, new Offset(from)));
            }
        }

        var outcomes = new List<ListenerOutcome>();
        if (starts.Count == 0)
        {
            return outcomes;
        }

        consumer.Assign(starts);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        var done = new List<TopicPartitionOffset>();
        while (ends.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"{Topic} was not read to its end within 60 s; partitions left: {string.Join(", ", ends.Keys)}");
            }

            var result = await Task.Run(() => consumer.Consume(TimeSpan.FromMilliseconds(500)), ct);
            if (result?.Message is not { } message)
            {
                continue;
            }

            if (await HandleAsync(message, actionForCluster, ct) is { } outcome)
            {
                outcomes.Add(outcome);
            }

            var next = result.Offset.Value + 1;
            done.Add(new TopicPartitionOffset(result.TopicPartition, new Offset(next)));
            if (next >= ends.GetValueOrDefault(result.Partition.Value, long.MaxValue))
            {
                ends.Remove(result.Partition.Value);
            }
        }

        consumer.Commit(done.GroupBy(d => d.Partition.Value).Select(g => g.MaxBy(d => d.Offset.Value)!));
        consumer.Close();
        return outcomes;
    }

    private async Task<ListenerOutcome?> HandleAsync(Message<string, byte[]> message, Func<string, ListenerAction> actionForCluster, CancellationToken ct)
    {
        // §1.2: the first header that mentions "service" decides; without hccm the message is ignored.
        var service = message.Headers?.FirstOrDefault(h => h.Key == "service") is { } header ? Encoding.ASCII.GetString(header.GetValueBytes()) : null;
        if (service != "hccm")
        {
            return null;
        }

        using var value = JsonDocument.Parse(message.Value);
        var url = value.RootElement.GetProperty("url").GetString() ?? "";
        if (!ObjectKey(url).StartsWith(objectKeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var requestId = value.RootElement.GetProperty("request_id").GetString() ?? "";
        var orgId = value.RootElement.GetProperty("org_id").GetString() ?? "";
        var action = actionForCluster(message.Key);
        if (action == ListenerAction.Drop)
        {
            return new ListenerOutcome(message.Key, requestId, null, "dropped", null);
        }

        // §1.4: requests.get(url), no credentials; 4xx/5xx and connection errors are a failure that leaves nothing behind.
        byte[] payload;
        try
        {
            using var response = await http.GetAsync(new Uri(url), ct);
            if (!response.IsSuccessStatusCode)
            {
                return new ListenerOutcome(message.Key, requestId, null, "download_failed", $"HTTP {(int)response.StatusCode}");
            }

            payload = await response.Content.ReadAsByteArrayAsync(ct);
        }
        catch (HttpRequestException e)
        {
            return new ListenerOutcome(message.Key, requestId, null, "download_failed", e.Message);
        }

        var manifest = ReadManifest(payload);
        var uuid = Guid.Parse(manifest.GetProperty("uuid").GetString()!);
        var clusterId = manifest.GetProperty("cluster_id").GetString()!;
        var files = manifest.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        var start = DateTimeOffset.Parse(manifest.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var version = manifest.TryGetProperty("version", out var v) ? v.GetString() : null;
        var daily = manifest.TryGetProperty("daily_reports", out var d) && d.GetBoolean();

        await using var conn = await koku.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        // §1.7: the provider of the org whose credentials are exactly {"cluster_id": ...}.
        await using var find = new NpgsqlCommand("""
            SELECT p.uuid FROM public.api_sources s
            JOIN public.api_provider p ON p.uuid = s.provider_id
            JOIN public.api_providerauthentication a ON a.id = p.authentication_id
            WHERE s.org_id = @org AND p.type = 'OCP' AND a.credentials = jsonb_build_object('cluster_id', @cluster)
            LIMIT 1
            """, conn, tx);
        find.Parameters.AddWithValue("org", orgId);
        find.Parameters.AddWithValue("cluster", clusterId);
        if (await find.ExecuteScalarAsync(ct) is not Guid provider)
        {
            return new ListenerOutcome(message.Key, requestId, uuid, "unknown_source", "Received unexpected OCP report");
        }

        // §1.8: get_or_create on (provider, assembly_id): a re-sent uuid reuses the row.
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO public.reporting_common_costusagereportmanifest
                (assembly_id, provider_id, billing_period_start_datetime, num_total_files, creation_datetime, export_datetime, state,
                 operator_version, operator_daily_reports, cluster_id)
            VALUES (@uuid, @provider, date_trunc('month', @start), @files, now(), now(),
                    jsonb_build_object('download', jsonb_build_object('start', now()::text, 'end', now()::text)), @version, @daily, @cluster)
            ON CONFLICT (provider_id, assembly_id) DO NOTHING;
            SELECT id FROM public.reporting_common_costusagereportmanifest WHERE provider_id = @provider AND assembly_id = @uuid;
            """, conn, tx);
        upsert.Parameters.AddWithValue("uuid", uuid.ToString("D"));
        upsert.Parameters.AddWithValue("provider", provider);
        upsert.Parameters.AddWithValue("start", NpgsqlDbType.TimestampTz, start.UtcDateTime);
        upsert.Parameters.AddWithValue("files", files.Count);
        upsert.Parameters.AddWithValue("version", (object?)version ?? DBNull.Value);
        upsert.Parameters.AddWithValue("daily", daily);
        upsert.Parameters.AddWithValue("cluster", clusterId);
        var manifestId = (int)(await upsert.ExecuteScalarAsync(ct))!;

        // One status row per listed file; a file completed earlier is "already processed" and skipped.
        await using var status = new NpgsqlCommand("""
            INSERT INTO public.reporting_common_costusagereportstatus (manifest_id, report_name, status, started_datetime)
            SELECT @manifest, f, 4, now() FROM unnest(@files) AS f
            ON CONFLICT (manifest_id, report_name) DO NOTHING;
            SELECT count(*) FROM public.reporting_common_costusagereportstatus WHERE manifest_id = @manifest AND completed_datetime IS NULL;
            """, conn, tx);
        status.Parameters.AddWithValue("manifest", manifestId);
        status.Parameters.AddWithValue("files", files.ToArray());
        var open = (long)(await status.ExecuteScalarAsync(ct))!;
        if (open == 0)
        {
            await tx.CommitAsync(ct);
            return new ListenerOutcome(message.Key, requestId, uuid, "already_processed", null);
        }

        var sql = action == ListenerAction.Complete
            ? """
              UPDATE public.reporting_common_costusagereportstatus SET status = 1, completed_datetime = now()
              WHERE manifest_id = @manifest AND completed_datetime IS NULL;
              UPDATE public.reporting_common_costusagereportmanifest
              SET completed_datetime = now(), state = state || jsonb_build_object('processing', jsonb_build_object('start', now()::text, 'end', now()::text))
              WHERE id = @manifest;
              """
            : """
              UPDATE public.reporting_common_costusagereportstatus SET status = 2, failed_status = 4
              WHERE manifest_id = @manifest AND completed_datetime IS NULL;
              UPDATE public.reporting_common_costusagereportmanifest
              SET state = state || jsonb_build_object('processing', jsonb_build_object('start', now()::text, 'failed', now()::text))
              WHERE id = @manifest;
              """;
        await using (var finish = new NpgsqlCommand(sql, conn, tx))
        {
            finish.Parameters.AddWithValue("manifest", manifestId);
            await finish.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return new ListenerOutcome(message.Key, requestId, uuid, action == ListenerAction.Complete ? "completed" : "processing_failed", null);
    }

    /// <summary>The object key of a path-style URL (<c>/&lt;bucket&gt;/&lt;key&gt;</c>), as the stack's S3 server signs them.</summary>
    private static string ObjectKey(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/') : "";
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : path[(slash + 1)..];
    }

    /// <summary>§1.5: the gzip-compressed tar's root member manifest.json.</summary>
    private static JsonElement ReadManifest(byte[] payload)
    {
        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name == "manifest.json" && entry.DataStream is { } data)
            {
                using var doc = JsonDocument.Parse(data);
                return doc.RootElement.Clone();
            }
        }

        throw new InvalidDataException("the payload has no manifest.json at its root");
    }
}
