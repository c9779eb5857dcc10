using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pec.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pec.Faults.Tests;

/// <summary>
/// Checks that flows submitted under load reach all their recipients, with receipts and audit
/// entries one for one, while RabbitMQ, the gateway and the routing processes are killed and
/// paused and processes crash at the worst moments. Size by PEC_FAULT_FLOWS.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private readonly ConcurrentQueue<(string Name, DateTimeOffset Start, DateTimeOffset End)> _faults = new();

    [Fact]
    public async Task FaultInjection_UnderKillsAndPauses_NothingIsLost()
    {
        var settings = FaultSettings.FromEnvironment();
        var random = new Random(settings.Seed);
        await using var bed = new FaultBed(settings);
        await bed.StartAsync();

        var progress = 0;
        bool Flaky() => Volatile.Read(ref progress) is var p && p > settings.Flows / 10 && p < settings.Flows * 3 / 10;
        bed.Push.Behave("PUSH-FLAKY", (flow, seen) => Flaky() || (flow.GetHashCode() + seen) % 10 == 0 ? new PushAnswer(503) : new PushAnswer(200));
        bed.Push.Behave("PUSH-SLOW", (flow, seen) => new PushAnswer(200, Delay: TimeSpan.FromMilliseconds(100 + Math.Abs(flow.GetHashCode() % 300))));

        using var dila = Clients.For(bed.Pki, "DILA", bed.GatewayAddress);
        using var commune = Clients.For(bed.Pki, "COMMUNE-06088", bed.GatewayAddress);
        using var stop = new CancellationTokenSource();
        var poller = new MailboxPoller(commune);
        var polling = poller.RunAsync(stop.Token);
        var load = new LoadGenerator(dila, random);
        var plan = load.Plan(settings.Flows);

        // Each fault falls at a random point (from the seed) of its own tenth of the run, so faults do not pile up.
        int At(int percent) => Math.Max(1, settings.Flows * (percent + random.Next(10)) / 100);
        var faultTasks = new List<Task>();
        var schedule = new SortedDictionary<int, Func<Task>>
        {
            [At(10)] = () => Fault("kill -9 RabbitMQ, restarted 2 s later", async () =>
            {
                bed.Rabbit.Kill();
                await Task.Delay(2000);
                await bed.Rabbit.StartAsync();
            }),
            [At(30)] = () => Fault("kill -9 gateway", () => { bed.Gateway.Kill(); return Task.CompletedTask; }),
            [At(45)] = () => Fault("kill -9 router-1", () => { bed.Routers[0].Kill(); return Task.CompletedTask; }),
            [At(60)] = () => Fault("SIGSTOP RabbitMQ for 6 s (publish timeout 2 s), then SIGCONT", async () =>
            {
                bed.Rabbit.Pause();
                await Task.Delay(6000);
                bed.Rabbit.Resume();
            }),
            [At(75)] = () => Fault("kill -9 router-2 and gateway together", () =>
            {
                bed.Routers[1].Kill();
                bed.Gateway.Kill();
                return Task.CompletedTask;
            }),
        };

        if (!settings.InjectFaults)
        {
            schedule.Clear();
        }

        var started = Stopwatch.StartNew();
        await load.SubmitAllAsync(plan, concurrency: 4, done =>
        {
            Volatile.Write(ref progress, done);
            if (schedule.Remove(done, out var fault))
            {
                lock (faultTasks)
                {
                    faultTasks.Add(Task.Run(fault));
                }
            }
        }, stop.Token);
        var submitted = started.Elapsed;
        await Task.WhenAll(faultTasks);

        var checks = new FaultChecks(bed.ConnectionString);
        var drained = await WaitUntilQuietAsync(checks, TimeSpan.FromMinutes(5));
        var drainTime = started.Elapsed - submitted;
        await stop.CancelAsync();
        try
        {
            await polling;
        }
        catch (OperationCanceledException)
        {
            // The poller stops with the token.
        }

        var report = await BuildReportAsync(settings, bed, checks, plan, load, poller, submitted, drainTime, drained);
        Directory.CreateDirectory(Path.GetDirectoryName(settings.ReportPath)!);
        await File.WriteAllTextAsync(settings.ReportPath, report.Text);
        output.WriteLine(report.Text);
        Assert.True(report.Failures.Count == 0, string.Join(Environment.NewLine, report.Failures) + Environment.NewLine + report.Text);
    }

    /// <summary>Runs one fault; its end is when the suite stopped acting (a restart asked, a SIGCONT sent).</summary>
    private async Task Fault(string name, Func<Task> action)
    {
        var start = TimeProvider.System.GetUtcNow();
        await action();
        _faults.Enqueue((name, start, TimeProvider.System.GetUtcNow()));
    }

    private static async Task<bool> WaitUntilQuietAsync(FaultChecks checks, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        var quietChecks = 0;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            quietChecks = await checks.UnfinishedAsync() == 0 ? quietChecks + 1 : 0;
            if (quietChecks >= 3)
            {
                return true;
            }

            await Task.Delay(1000);
        }

        return false;
    }

    private async Task<(string Text, List<string> Failures)> BuildReportAsync(
        FaultSettings settings, FaultBed bed, FaultChecks checks, List<SubmittedFlow> plan, LoadGenerator load, MailboxPoller poller,
        TimeSpan submitted, TimeSpan drainTime, bool drained)
    {
        var failures = new List<string>();
        var text = new StringBuilder();
        void Line(string line) => text.AppendLine(line);
        void Check(bool ok, string failure)
        {
            if (!ok)
            {
                failures.Add(failure);
            }
        }

        var accepted = plan.Where(f => f.AcceptedAt is not null).ToList();
        var deliveries = await checks.DeliveriesAsync();
        var terminal = new[] { "delivered", "acknowledged", "failed" };
        var lost = deliveries.Count(d => !terminal.Contains(d.Status)) + (accepted.Count - (int)await checks.ScalarAsync("select count(*) from flows"));
        var failed = deliveries.Count(d => d.Status == "failed");
        var received = bed.Push.Received.ToList();
        var byDelivery = received.Where(r => r.AnsweredStatus is >= 200 and < 300).GroupBy(r => (r.Recipient, r.FlowId)).ToDictionary(g => g.Key, g => g.ToList());
        var shaByFlow = accepted.ToDictionary(f => f.FlowId, f => f.PayloadSha256);
        var different = received.GroupBy(r => (r.Recipient, r.FlowId)).Count(g => g.Select(r => r.BodySha256).Distinct().Count() > 1
            || g.Any(r => shaByFlow.TryGetValue(r.FlowId, out var sha) && sha != r.BodySha256));
        var invalidRequests = received.Count(r => r.SignatureError is not null || r.DigestError is not null);
        var pushDelivered = deliveries.Where(d => d.Channel == "https" && d.Status is "delivered" or "acknowledged").ToList();
        var unseenByRecipient = pushDelivered.Count(d => !byDelivery.ContainsKey((d.Recipient, d.Flow)));
        var pushDuplicates = byDelivery.Values.Sum(v => v.Count - 1);
        var mailboxDuplicates = poller.Fetches.Values.Sum(n => n - 1);
        var mailboxUnfetched = deliveries.Count(d => d.Channel == "mailbox" && d.Status is "delivered" or "acknowledged" && !poller.Fetches.ContainsKey(d.Flow));
        var receiptMismatches = await checks.ReceiptMismatchesAsync();
        var auditMismatches = await checks.AuditMismatchesAsync();
        var depositMismatches = await checks.FlowsWithoutOneDepositAsync();
        var chainValid = await VerifyAuditChainAsync(bed);
        var orderViolations = OrderViolations(bed, plan);

        Line("PEC fault-injection report");
        Line($"seed {settings.Seed}; flows planned {plan.Count}; PEC_FAULT_FLOWS={settings.Flows}{(settings.InjectFaults ? "" : "; PEC_FAULT_INJECT=0 (baseline: no fault injected)")}");
        Line($"submitted in {submitted.TotalSeconds:0.0} s (concurrency 4); drained {(drained ? "in" : "NOT within")} {drainTime.TotalSeconds:0.0} s after the last 202");
        Line($"accepted (202): {accepted.Count}; deliveries: {deliveries.Count} ({deliveries.Count(d => d.Channel == "https")} push, {deliveries.Count(d => d.Channel == "mailbox")} mailbox); push requests seen: {received.Count}");
        Line($"push latency, 202 to the recipient's first 2xx{(settings.InjectFaults ? " (faults included)" : "")}: {PushLatency(accepted, byDelivery)}");
        // Recovery counts from the end of the fault, and only work that began after it started: a
        // push already in flight when RabbitMQ died says nothing about the platform coming back.
        Line("faults injected (time to recover, from the end of the fault: first 202, then first push 2xx of a flow accepted after the fault started):");
        var acceptedAt = accepted.ToDictionary(f => f.FlowId, f => f.AcceptedAt!.Value);
        foreach (var (name, start, end) in _faults.OrderBy(f => f.Start))
        {
            var accept = load.AcceptTimes.Where(t => t > end).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var push = received
                .Where(r => r.At > end && r.AnsweredStatus is >= 200 and < 300 && acceptedAt.TryGetValue(r.FlowId, out var at) && at > start)
                .Select(r => r.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            Line($"  - {name} ({Seconds(end - start)} long): accept +{Seconds(accept - end)}, delivery +{Seconds(push - end)}");
        }

        Line($"crash points hit (processes killed by themselves): gateway {bed.Gateway.UnplannedExits}, router-1 {bed.Routers[0].UnplannedExits}, router-2 {bed.Routers[1].UnplannedExits}");
        Line($"lost = {lost}");
        Line($"non-delivered (with non-delivery receipt) = {failed}");
        Line($"duplicates seen by recipients = {pushDuplicates + mailboxDuplicates} (push {pushDuplicates}, mailbox {mailboxDuplicates}); different contents for one flow id = {different}");
        Line($"push requests with a bad signature or digest = {invalidRequests}; delivered but never seen by the recipient = {unseenByRecipient + mailboxUnfetched}");
        Line($"receipts not one for one with deliveries = {receiptMismatches}; audit entries not one for one = {auditMismatches}; flows without exactly one deposit receipt and accept entry = {depositMismatches}");
        Line($"audit chain valid = {chainValid}; ordering violations (same correlation id) = {orderViolations}");
        Line($"process logs: {bed.LogDirectory}/fault-*.log");

        Check(accepted.Count == plan.Count, $"{plan.Count - accepted.Count} flows never got a 202");
        Check(drained, "the platform did not finish its work within 5 minutes");
        Check(lost == 0, $"lost = {lost}");
        Check(failed == 0, $"{failed} deliveries failed although every recipient comes back");
        Check(different == 0, $"{different} flow ids reached a recipient with different contents");
        Check(invalidRequests == 0, $"{invalidRequests} push requests had a bad signature or digest");
        Check(unseenByRecipient + mailboxUnfetched == 0, $"{unseenByRecipient + mailboxUnfetched} deliveries recorded but never seen by their recipient");
        Check(poller.Mismatches.IsEmpty, "mailbox: " + string.Join("; ", poller.Mismatches.Take(5)));
        Check(receiptMismatches == 0 && auditMismatches == 0 && depositMismatches == 0, "receipts or audit entries do not match deliveries one for one");
        Check(chainValid, "the audit chain does not verify");
        Check(orderViolations == 0, $"{orderViolations} correlation groups arrived out of submission order");
        return (text.ToString(), failures);
    }

    private static string PushLatency(List<SubmittedFlow> accepted, Dictionary<(string Recipient, Guid FlowId), List<ReceivedPush>> byDelivery)
    {
        var acceptedAt = accepted.ToDictionary(f => f.FlowId, f => f.AcceptedAt!.Value);
        var latencies = byDelivery
            .Where(d => acceptedAt.ContainsKey(d.Key.FlowId))
            .Select(d => (d.Value.Min(r => r.At) - acceptedAt[d.Key.FlowId]).TotalSeconds)
            .Order()
            .ToList();
        if (latencies.Count == 0)
        {
            return "no push delivery";
        }

        double At(double share) => latencies[Math.Min(latencies.Count - 1, (int)(share * latencies.Count))];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.50):0.00} s, p95 {At(0.95):0.00} s, max {latencies[^1]:0.00} s over {latencies.Count} deliveries");
    }

    private static string Seconds(TimeSpan span) =>
        span > TimeSpan.FromDays(1) ? "never" : span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static async Task<bool> VerifyAuditChainAsync(FaultBed bed)
    {
        using var auditor = Clients.For(bed.Pki, "AUDIT", bed.GatewayAddress);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var report = await auditor.GetFromJsonAsync<JsonElement>("/api/v1/audit/log/verify");
                return report.GetProperty("valid").GetBoolean();
            }
            catch (HttpRequestException) when (attempt < 30)
            {
                await Task.Delay(1000);
            }
        }
    }

    /// <summary>Correlation groups whose first successful arrivals at PUSH-OK are not in acceptance (flow id) order.</summary>
    private static int OrderViolations(FaultBed bed, List<SubmittedFlow> plan)
    {
        var arrivals = bed.Push.ReceivedBy("PUSH-OK").Where(r => r.AnsweredStatus is >= 200 and < 300)
            .GroupBy(r => r.FlowId).ToDictionary(g => g.Key, g => g.Min(r => r.Sequence));
        var violations = 0;
        foreach (var group in plan.Where(f => f.CorrelationId is not null).GroupBy(f => f.CorrelationId!))
        {
            var inIdOrder = group.Select(f => f.FlowId).OrderBy(id => id.ToString("N"), StringComparer.Ordinal).ToList();
            var inArrivalOrder = group.Select(f => f.FlowId).OrderBy(id => arrivals.GetValueOrDefault(id, long.MaxValue)).ToList();
            if (!inIdOrder.SequenceEqual(inArrivalOrder))
            {
                violations++;
            }
        }

        return violations;
    }
}
