using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using static LlmProviders.Tests.Routing.ChainTestKit;

namespace LlmProviders.Tests.Routing;

/// <summary>RT6 after the first update: the Restart and Continue policies.</summary>
public class StreamResumeTests
{
    private const LlmCapabilities Prefill = LlmCapabilities.Chat | LlmCapabilities.Streaming | LlmCapabilities.AssistantPrefill;

    [Test]
    public async Task Restart_discards_the_part_of_the_new_answer_the_caller_already_has()
    {
        var primary = new ScriptedProvider("primary") { StreamTokens = ["Hello", ", ", "world"], BreakStreamAfter = 2 };
        var backup = new ScriptedProvider("backup") { StreamTokens = ["Hel", "lo, wor", "ld!"] };

        var updates = await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi") { StreamInterruption = StreamInterruptionPolicy.Restart }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(updates.Where(u => !u.IsFinal).Select(u => u.Text), Is.EqualTo(new[] { "Hello", ", ", "wor", "ld!" }));
            Assert.That(updates.Any(u => u.RestartsAnswer), Is.False);
            Assert.That(updates[^1].ProviderName, Is.EqualTo("backup"));
            Assert.That(updates[^1].Trace!.Attempts.Select(a => (a.ProviderName, a.Succeeded)), Is.EqualTo(new[] { ("primary", false), ("backup", true) }));
        }
    }

    [Test]
    public async Task Restart_with_a_different_answer_marks_the_update_that_starts_over()
    {
        var primary = new ScriptedProvider("primary") { StreamTokens = ["Hello", ", ", "world"], BreakStreamAfter = 2 };
        var backup = new ScriptedProvider("backup") { StreamTokens = ["Hi", " there"] };

        var updates = await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi") { StreamInterruption = StreamInterruptionPolicy.Restart }));
        var afterFailure = updates.Where(u => !u.IsFinal).Skip(2).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFailure[0].RestartsAnswer, Is.True);
            Assert.That(afterFailure[0].Text, Is.EqualTo("Hi"));
            Assert.That(afterFailure.Skip(1).Select(u => u.Text), Is.EqualTo(new[] { " there" }));
        }
    }

    [Test]
    public async Task Restart_with_a_shorter_identical_answer_starts_over_before_the_final_update()
    {
        var primary = new ScriptedProvider("primary") { StreamTokens = ["Hello", ", ", "world"], BreakStreamAfter = 2 };
        var backup = new ScriptedProvider("backup") { StreamTokens = ["Hel"] };

        var updates = await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi") { StreamInterruption = StreamInterruptionPolicy.Restart }));

        Assert.That(updates[^2].RestartsAnswer, Is.True);
        Assert.That(updates[^2].Text, Is.EqualTo("Hel"));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public async Task Continue_asks_the_next_target_to_continue_the_partial_answer_as_an_assistant_prefill()
    {
        var primary = new ScriptedProvider("primary") { StreamTokens = ["Once upon", " a time"], BreakStreamAfter = 1 };
        var backup = new ScriptedProvider("backup", Prefill) { StreamTokens = [" a time", " there was"] };

        var updates = await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("tell me") { StreamInterruption = StreamInterruptionPolicy.Continue }));
        var sent = backup.Requests.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(string.Concat(updates.Select(u => u.Text)), Is.EqualTo("Once upon a time there was"));
            Assert.That(sent.Messages[^1].Role, Is.EqualTo(ChatRole.Assistant));
            Assert.That(sent.Messages[^1].Text, Is.EqualTo("Once upon"));
            Assert.That(sent.Messages[0].Text, Is.EqualTo("tell me"));
        }
    }

    [Test]
    public async Task Continue_skips_targets_without_assistant_prefill()
    {
        var primary = new ScriptedProvider("primary") { StreamTokens = ["Once upon", " a time"], BreakStreamAfter = 1 };
        var noPrefill = new ScriptedProvider("no-prefill");
        var backup = new ScriptedProvider("backup", Prefill) { StreamTokens = [" a time"] };

        var updates = await Collect(Chain(primary, noPrefill, backup).StreamAsync(new ChatRequest("tell me") { StreamInterruption = StreamInterruptionPolicy.Continue }));
        var skipped = updates[^1].Trace!.Candidates.Single(c => c.ProviderName == "no-prefill");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(noPrefill.Calls, Is.Zero);
            Assert.That(skipped.SkipReason, Is.EqualTo(CandidateSkipReason.MissingCapability));
            Assert.That(skipped.Detail, Does.Contain("partial answer"));
            Assert.That(updates[^1].ProviderName, Is.EqualTo("backup"));
        }
    }

    [Test]
    public void Continue_never_applies_to_a_request_with_tools_and_ends_in_StreamInterrupted_with_the_partial_text()
    {
        var primary = new ScriptedProvider("primary") { StreamTokens = ["Once upon", " a time"], BreakStreamAfter = 1 };
        var backup = new ScriptedProvider("backup", Prefill | LlmCapabilities.Tools);
        var request = new ChatRequest("tell me")
        {
            StreamInterruption = StreamInterruptionPolicy.Continue,
            Tools = [AIFunctionFactory.Create(() => "x", "tool")],
        };

        var thrown = Assert.ThrowsAsync<StreamInterruptedException>(async () => await Collect(Chain(primary, backup).StreamAsync(request)));

        Assert.That(thrown!.PartialText, Is.EqualTo("Once upon"));
        Assert.That(backup.Calls, Is.Zero);
    }

    [Test]
    public void Restart_when_every_later_target_fails_throws_StreamInterrupted_with_what_the_caller_holds()
    {
        var primary = new ScriptedProvider("primary") { StreamTokens = ["Hello", ", ", "world"], BreakStreamAfter = 2 };
        var backup = new ScriptedProvider("backup").ThenFail(Unavailable("backup"));

        var thrown = Assert.ThrowsAsync<StreamInterruptedException>(async () =>
            await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi") { StreamInterruption = StreamInterruptionPolicy.Restart })));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown!.PartialText, Is.EqualTo("Hello, "));
            Assert.That(thrown.UpdatesDelivered, Is.EqualTo(2));
            Assert.That(backup.Calls, Is.EqualTo(1));
        }
    }

    [Test]
    public void Restart_never_resumes_after_an_error_that_must_not_fail_over()
    {
        var primary = new ScriptedProvider("primary") { BreakStreamAfter = 1, StreamFailure = new InvalidChatRequestException("bad") { ProviderName = "primary" } };
        var backup = new ScriptedProvider("backup");

        Assert.ThrowsAsync<StreamInterruptedException>(async () =>
            await Collect(Chain(primary, backup).StreamAsync(new ChatRequest("hi") { StreamInterruption = StreamInterruptionPolicy.Restart })));
        Assert.That(backup.Calls, Is.Zero);
    }
}
