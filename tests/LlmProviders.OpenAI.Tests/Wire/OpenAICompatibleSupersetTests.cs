using System.Linq;
using System.Threading.Tasks;
using LlmProviders.Testing.Http;
using Microsoft.Extensions.AI;

namespace LlmProviders.OpenAI.Tests.Wire;

/// <summary>Superset shapes of compatible servers (Mistral first) that the shared parsers read for every OpenAI-wire provider.</summary>
public sealed class OpenAICompatibleSupersetTests : OpenAIProviderTestBase
{
    [Test]
    public async Task Stream_content_block_arrays_give_text_and_thinking_blocks_give_reasoning()
    {
        var body = OpenAIWire.Sse(
        [
            OpenAIWire.Chunk("""{"role":"assistant","content":[{"type":"thinking","thinking":[{"type":"text","text":"Two and two"}]}]}"""),
            OpenAIWire.Chunk("""{"content":[{"type":"text","text":"4"}]}"""),
            OpenAIWire.FinishChunk("stop"),
        ]);

        var updates = await StreamAsync(CannedResponse.EventStream(body));

        Assert.That(string.Concat(updates.Select(u => u.ReasoningText)), Is.EqualTo("Two and two"));
        Assert.That(ConcatText(updates), Is.EqualTo("4"));
    }

    [Test]
    public async Task Stream_flat_error_object_event_is_the_typed_error()
    {
        var body = OpenAIWire.Sse([OpenAIWire.TextChunk("Hel"), """{"object":"error","message":"Internal server error","type":"internal_server_error","param":null,"code":"3000"}"""], done: false);
        var ex = await CatchStreamAsync<LlmProviderException>(CannedResponse.EventStream(body));
        Assert.That(ex, Is.Not.InstanceOf<MalformedResponseException>());
        Assert.That(ex, Is.Not.InstanceOf<StreamInterruptedException>());
        Assert.That(ex.Message, Does.Contain("Internal server error"));
    }

    [Test]
    public async Task Finish_reason_model_length_is_length()
    {
        var result = await ChatAsync(CannedResponse.Json(OpenAIWire.Completion("Once upon", "model_length")));
        Assert.That(result.FinishReason, Is.EqualTo(ChatFinishReason.Length));
    }
}
