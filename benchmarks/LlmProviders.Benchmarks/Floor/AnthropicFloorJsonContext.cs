using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LlmProviders.Benchmarks.Floor;

// Minimal DTOs of the Anthropic floor: the request it must send, and only text and usage from the responses.
// Everything else in the payloads (id, model, stop_reason, cache counts, service_tier …) is skipped by the reader.

internal sealed class AnthropicFloorRequest
{
    public required string Model { get; init; }

    public required int MaxTokens { get; init; }

    public required IReadOnlyList<FloorMessage> Messages { get; init; }

    public bool? Stream { get; init; }
}

internal sealed class AnthropicFloorMessage
{
    public List<AnthropicFloorBlock>? Content { get; set; }

    public AnthropicFloorUsage? Usage { get; set; }
}

internal sealed class AnthropicFloorBlock
{
    public string? Text { get; set; }
}

internal sealed class AnthropicFloorUsage
{
    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }
}

// One DTO for the three events the floor reads: message_start (message.usage), content_block_delta (delta.text)
// and message_delta (usage).
internal sealed class AnthropicFloorEvent
{
    public AnthropicFloorStartMessage? Message { get; set; }

    public AnthropicFloorDelta? Delta { get; set; }

    public AnthropicFloorUsage? Usage { get; set; }
}

internal sealed class AnthropicFloorStartMessage
{
    public AnthropicFloorUsage? Usage { get; set; }
}

internal sealed class AnthropicFloorDelta
{
    public string? Text { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(AnthropicFloorRequest))]
[JsonSerializable(typeof(AnthropicFloorMessage))]
[JsonSerializable(typeof(AnthropicFloorEvent))]
internal sealed partial class AnthropicFloorJsonContext : JsonSerializerContext;
