using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmProviders.Http;

/// <summary>
/// Assembles streamed tool calls from their fragments: the first fragment of a call carries its id and name, later
/// ones only argument text, keyed by the call's index (which may start at any number). Arguments are parsed only
/// when the stream finishes; invalid JSON yields a call whose <see cref="FunctionCallContent.Exception"/> says why.
/// </summary>
public sealed class ToolCallAccumulator
{
    private readonly List<Slot> _slots = [];

    /// <summary>Gets a value indicating whether any tool call has started.</summary>
    public bool HasCalls => _slots.Count > 0;

    /// <summary>Gets the number of calls started.</summary>
    public int Count => _slots.Count;

    /// <summary>Adds a fragment.</summary>
    /// <param name="index">The call's index in the stream (any start), or <see langword="null"/> when the provider gave none: the fragment then continues the last call when it carries no id and no name (or repeats the last call's id), else starts a new call.</param>
    /// <param name="id">The call id, on the call's first fragment.</param>
    /// <param name="name">The function name, on the call's first fragment.</param>
    /// <param name="argumentsFragment">A piece of the arguments' JSON text.</param>
    public void Append(int? index, string? id, string? name, string? argumentsFragment)
    {
        // An empty id or name (sent on continuation fragments by some servers) says nothing.
        id = string.IsNullOrEmpty(id) ? null : id;
        name = string.IsNullOrEmpty(name) ? null : name;
        Slot? slot = null;
        if (index is { } i)
        {
            foreach (var s in _slots)
            {
                if (s.Index == i)
                {
                    slot = s;
                    break;
                }
            }
        }
        else if (_slots.Count > 0)
        {
            // Without an index, a fragment continues the last call unless it names another one: no id and no name, or
            // the last index-less call's id repeated (some servers repeat it on every fragment).
            var last = _slots[^1];
            bool sameCall = (id is null && name is null) ||
                (last.Index is null && id is not null && id == last.Id && (name is null || name == last.Name));
            if (sameCall)
            {
                slot = last;
            }
        }

        if (slot is null)
        {
            slot = new Slot(index);
            _slots.Add(slot);
        }

        slot.Id ??= id;
        slot.Name ??= name;

        if (!string.IsNullOrEmpty(argumentsFragment))
        {
            slot.Arguments.Append(argumentsFragment);
        }
    }

    /// <summary>Builds the complete calls, in the order they started, and clears the accumulator.</summary>
    /// <param name="idPrefix">Prefix of the ids generated for calls the provider gave no id.</param>
    /// <returns>The calls.</returns>
    public IReadOnlyList<FunctionCallContent> Complete(string idPrefix = "call_")
    {
        if (_slots.Count == 0)
        {
            return Array.Empty<FunctionCallContent>();
        }

        var calls = new FunctionCallContent[_slots.Count];
        for (int i = 0; i < _slots.Count; i++)
        {
            var s = _slots[i];
            calls[i] = ToolCallJson.CreateCall(s.Id ?? string.Concat(idPrefix, i.ToString(CultureInfo.InvariantCulture)), s.Name ?? string.Empty, s.Arguments.ToString());
        }

        _slots.Clear();
        return calls;
    }

    // Index is null for a call whose fragments carry none: such a call never matches a fragment that has one.
    private sealed class Slot(int? index)
    {
        public int? Index { get; } = index;

        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}

/// <summary>Reads and writes tool-call arguments with the source-generated options of Microsoft.Extensions.AI (AOT-safe).</summary>
public static class ToolCallJson
{
    // AIJsonUtilities.DefaultOptions writes indented JSON; arguments and results go back to the provider inside the
    // conversation, where every space and newline is a billed token. Same resolvers, compact output.
    private static readonly JsonSerializerOptions Compact = CreateCompactOptions();

    /// <summary>
    /// Creates a call from its arguments' JSON text. Empty text (or <c>null</c>) means no arguments (<c>{}</c>); text that
    /// is not a JSON object (truncated, invalid, an array) sets <see cref="FunctionCallContent.Exception"/> instead of throwing.
    /// </summary>
    /// <param name="callId">The call id.</param>
    /// <param name="name">The function name.</param>
    /// <param name="argumentsJson">The arguments' JSON text.</param>
    /// <returns>The call.</returns>
    public static FunctionCallContent CreateCall(string callId, string name, string? argumentsJson)
    {
        if (string.IsNullOrWhiteSpace(argumentsJson))
        {
            return new FunctionCallContent(callId, name, new Dictionary<string, object?>());
        }

        var call = FunctionCallContent.CreateFromParsedArguments(argumentsJson, callId, name, static json =>
            (IDictionary<string, object?>?)JsonSerializer.Deserialize(json, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))));

        // "null" means no arguments, as an empty text does.
        if (call.Arguments is null && call.Exception is null)
        {
            call.Arguments = new Dictionary<string, object?>();
        }

        return call;
    }

    /// <summary>Creates a call from arguments given as a JSON object (Gemini, Ollama).</summary>
    /// <param name="callId">The call id.</param>
    /// <param name="name">The function name.</param>
    /// <param name="arguments">The arguments object.</param>
    /// <returns>The call.</returns>
    public static FunctionCallContent CreateCall(string callId, string name, JsonElement arguments) =>
        arguments.ValueKind == JsonValueKind.Object
            ? CreateCall(callId, name, arguments.GetRawText())
            : CreateCall(callId, name, arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : arguments.GetRawText());

    /// <summary>Writes a call's arguments as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="arguments">The arguments.</param>
    public static void WriteArguments(Utf8JsonWriter writer, IDictionary<string, object?>? arguments)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (arguments is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }

        JsonSerializer.Serialize(writer, arguments, Compact.GetTypeInfo(typeof(IDictionary<string, object?>)));
    }

    /// <summary>Serializes a call's arguments to a compact JSON string (OpenAI's <c>arguments</c> field).</summary>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The JSON text.</returns>
    public static string SerializeArguments(IDictionary<string, object?>? arguments) =>
        arguments is null || arguments.Count == 0 ? "{}" : JsonSerializer.Serialize(arguments, Compact.GetTypeInfo(typeof(IDictionary<string, object?>)));

    /// <summary>Serializes a tool's result to text for providers that take tool results as strings.</summary>
    /// <param name="result">The result object.</param>
    /// <returns>The text: strings as they are, anything else as compact JSON.</returns>
    public static string SerializeResult(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement e => e.GetRawText(),
        _ => JsonSerializer.Serialize(result, Compact.GetTypeInfo(result.GetType())),
    };

    private static JsonSerializerOptions CreateCompactOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }
}
