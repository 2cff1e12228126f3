using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LlmProviders.Routing;
using Microsoft.Extensions.AI;
using static LlmProviders.Tests.Routing.ChainTestKit;

namespace LlmProviders.Tests.Routing;

/// <summary>A chain reuses its per-call scratch state (and shares the trace entry of a tried target) between calls: no call may see another's.</summary>
public class FallbackChainCallStateTests
{
    [Test]
    public async Task A_call_keeps_its_own_trace_after_later_calls_through_the_same_chain()
    {
        var error = RateLimited("primary");
        var primary = new ScriptedProvider("primary").ThenFail(error);
        var backup = new ScriptedProvider("backup");
        var chain = Chain(primary, backup);

        var failedOver = await chain.ChatAsync(new ChatRequest("first"));
        var direct = await chain.ChatAsync(new ChatRequest("second"));
        var third = await chain.ChatAsync(new ChatRequest("third") { Model = "other-model" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(failedOver.Trace!.Attempts.Select(a => (a.ProviderName, a.Error)), Is.EqualTo(new (string, LlmProviderException?)[] { ("primary", error), ("backup", null) }));
            Assert.That(failedOver.Trace.Candidates.Select(c => (c.ProviderName, c.SkipReason)),
                Is.EqualTo(new[] { ("primary", CandidateSkipReason.None), ("backup", CandidateSkipReason.None) }));
            Assert.That(direct.Trace!.Attempts.Select(a => (a.ProviderName, a.Succeeded)), Is.EqualTo(new[] { ("primary", true) }));
            Assert.That(direct.Trace.Candidates.Select(c => (c.ProviderName, c.SkipReason)),
                Is.EqualTo(new[] { ("primary", CandidateSkipReason.None), ("backup", CandidateSkipReason.NotReached) }));
            Assert.That(direct.Trace, Is.Not.SameAs(failedOver.Trace));
            Assert.That(direct.Text, Is.EqualTo("answer from primary"));
            Assert.That(third.Trace!.Candidates[0].Model, Is.EqualTo("other-model"));
            Assert.That(direct.Trace.Candidates[0].Model, Is.Null);
        }
    }

    [Test]
    public async Task A_call_after_a_failed_call_starts_afresh()
    {
        var primary = new ScriptedProvider("primary").ThenFail(Unavailable("primary"));
        var chain = Chain(primary);

        var error = Assert.ThrowsAsync<AllProvidersFailedException>(() => chain.ChatAsync(new ChatRequest("first")));
        var result = await chain.ChatAsync(new ChatRequest("second"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.InnerException, Is.InstanceOf<ProviderUnavailableException>());
            Assert.That(result.Text, Is.EqualTo("answer from primary"));
            Assert.That(result.Trace!.Attempts, Has.Count.EqualTo(1));
            Assert.That(result.Trace.Attempts[0].Succeeded, Is.True);
        }
    }

    [Test]
    public async Task Calls_in_flight_together_each_get_their_own_answer_and_trace()
    {
        var gate = new GatedProvider("gated");
        var chain = Chain(gate);

        // "one" stays in flight while "two" ends (its call state goes back to the chain) and "three" reuses that state.
        var first = chain.ChatAsync(new ChatRequest("one"));
        var second = chain.ChatAsync(new ChatRequest("two"));
        gate.Release("two");
        var secondResult = await second;
        var third = chain.ChatAsync(new ChatRequest("three") { Model = "m3" });
        gate.Release("three");
        var thirdResult = await third;
        gate.Release("one");
        var firstResult = await first;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstResult.Text, Is.EqualTo("answer to one"));
            Assert.That(secondResult.Text, Is.EqualTo("answer to two"));
            Assert.That(thirdResult.Text, Is.EqualTo("answer to three"));
            Assert.That(new[] { firstResult.Trace, secondResult.Trace, thirdResult.Trace }.Distinct().Count(), Is.EqualTo(3));
            Assert.That(new[] { firstResult, secondResult, thirdResult }.Select(r => r.Trace!.Attempts.Count), Is.All.EqualTo(1));
            Assert.That(thirdResult.Trace!.Candidates[0].Model, Is.EqualTo("m3"));
            Assert.That(firstResult.Trace!.Candidates[0].Model, Is.Null);
        }
    }

    /// <summary>Answers each call when the test releases its prompt.</summary>
    private sealed class GatedProvider(string name) : ILlmProvider
    {
        private readonly Dictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public string Kind => "gated";

        public LlmCapabilities Capabilities => LlmCapabilities.Chat;

        public bool IsLocal => false;

        public void Release(string prompt) => Gate(prompt).TrySetResult();

        public async Task<ChatResult> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default)
        {
            string prompt = request.Messages[^1].Text;
            await Gate(prompt).Task.WaitAsync(cancellationToken);
            return new ChatResult(new ChatMessage(ChatRole.Assistant, "answer to " + prompt)) { Model = request.Model };
        }

        public IAsyncEnumerable<ChatStreamUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<LlmModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<LlmModelInfo>>([]);

        public Task<ProviderHealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new ProviderHealthResult(Name, LlmHealthStatus.Healthy, DateTimeOffset.UnixEpoch, TimeSpan.Zero, null));

        private TaskCompletionSource Gate(string prompt)
        {
            lock (_gates)
            {
                if (!_gates.TryGetValue(prompt, out var gate))
                {
                    gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _gates.Add(prompt, gate);
                }

                return gate;
            }
        }
    }
}
