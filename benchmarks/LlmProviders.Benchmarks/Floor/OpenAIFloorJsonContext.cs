using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LlmProviders.Benchmarks.Floor;

// Minimal DTOs of the OpenAI floor: the request it must send, and only text and usage from the responses.
// Everything else in the payloads (id, model, logprobs, obfuscation, details …) is skipped by the reader.

internal sealed class FloorChatRequest
{
    public required string Model { get; init; }

    public required IReadOnlyList<FloorMessage> Messages { get; init; }

    public int? MaxCompletionTokens { get; init; }

    public bool? Stream { get; init; }

    public FloorStreamOptions? StreamOptions { get; init; }
}

internal sealed class FloorMessage
{
    public required string Role { get; init; }

    public required string Content { get; init; }
}

internal sealed class FloorStreamOptions
{
    public bool IncludeUsage { get; init; }
}

internal sealed class FloorChatResponse
{
    public List<FloorChoice>? Choices { get; set; }

    public FloorUsage? Usage { get; set; }
}

internal sealed class FloorChoice
{
    public FloorResponseMessage? Message { get; set; }
}

internal sealed class FloorResponseMessage
{
    public string? Content { get; set; }
}

internal sealed class FloorChunk
{
    public List<FloorChunkChoice>? Choices { get; set; }

    public FloorUsage? Usage { get; set; }
}

internal sealed class FloorChunkChoice
{
    public FloorDelta? Delta { get; set; }
}

internal sealed class FloorDelta
{
    public string? Content { get; set; }
}

internal sealed class FloorUsage
{
    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    public int TotalTokens { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(FloorChatRequest))]
[JsonSerializable(typeof(FloorChatResponse))]
[JsonSerializable(typeof(FloorChunk))]
internal sealed partial class OpenAIFloorJsonContext : JsonSerializerContext;
