using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tools;

/// <summary>
/// The .NET functions a tool-invocation loop offers the model, by name: <see cref="AIFunction"/>s (e.g. from
/// <see cref="AIFunctionFactory"/>) or functions described by hand (name, description, JSON schema, delegate).
/// </summary>
/// <remarks>
/// Thread-safe: tools may be registered while calls are running; a call sees the tools registered when it started.
/// A name registered again replaces the earlier tool. Names are case-sensitive, as the providers' are.
/// </remarks>
public sealed class LlmToolRegistry
{
    // AIJsonUtilities.DefaultOptions writes indented JSON; results go back to the model, where every space is a billed token.
    private static readonly JsonSerializerOptions CompactJson = CreateCompactJson();

    private readonly Lock _writeLock = new();
    private Dictionary<string, AIFunction> _tools = new(StringComparer.Ordinal);

    /// <summary>Gets the registered tools, in no particular order.</summary>
    public IReadOnlyCollection<AIFunction> Tools => Volatile.Read(ref _tools).Values;

    /// <summary>Gets the number of registered tools.</summary>
    public int Count => Volatile.Read(ref _tools).Count;

    /// <summary>Registers a function as a tool under its own <see cref="AITool.Name"/>.</summary>
    /// <param name="tool">The function, e.g. from <see cref="AIFunctionFactory.Create(Delegate, string?, string?, JsonSerializerOptions?)"/>.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">The function has no name.</exception>
    public LlmToolRegistry Register(AIFunction tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (string.IsNullOrWhiteSpace(tool.Name))
        {
            throw new ArgumentException("The tool has no name; give the AIFunction a name (e.g. AIFunctionFactory.Create(method, \"get_weather\")).", nameof(tool));
        }

        lock (_writeLock)
        {
            var copy = new Dictionary<string, AIFunction>(_tools, StringComparer.Ordinal) { [tool.Name] = tool };
            Volatile.Write(ref _tools, copy);
        }

        return this;
    }

    /// <summary>
    /// Registers a .NET method as a tool named <paramref name="name"/>, with its parameters' JSON schema derived from the
    /// method's signature by <see cref="AIFunctionFactory"/> (e.g. <c>tools.Register("get_weather", (string location) =&gt; …)</c>).
    /// </summary>
    /// <param name="name">The tool name the model calls.</param>
    /// <param name="method">The method. Its parameters are bound from the call's JSON arguments; its return value goes back to the model as JSON.</param>
    /// <param name="description">What the tool does, for the model; <see langword="null"/> uses the method's <c>[Description]</c>, if any.</param>
    /// <returns>This registry.</returns>
    /// <remarks>Uses reflection over <paramref name="method"/>; in trimmed or native AOT applications register an <see cref="AIFunction"/>
    /// created with source-generated JSON options, or use <see cref="Register(string, string, JsonElement, Func{AIFunctionArguments, CancellationToken, ValueTask{object?}})"/>.</remarks>
    public LlmToolRegistry Register(string name, Delegate method, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(method);
        return Register(AIFunctionFactory.Create(method, name, description, CompactJson));
    }

    /// <summary>
    /// Registers a tool described by hand: its name, description, parameters' JSON schema and the delegate that runs it.
    /// Needs no reflection (trim- and AOT-safe).
    /// </summary>
    /// <param name="name">The tool name the model calls.</param>
    /// <param name="description">What the tool does, for the model.</param>
    /// <param name="parametersSchema">The JSON schema of the arguments object, e.g. <c>{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}</c>.</param>
    /// <param name="invoke">Runs the tool with the call's arguments; its result goes back to the model (strings as they are, anything else as JSON).</param>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">The schema is not a JSON object.</exception>
    public LlmToolRegistry Register(string name, string description, JsonElement parametersSchema, Func<AIFunctionArguments, CancellationToken, ValueTask<object?>> invoke)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(invoke);
        if (parametersSchema.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"The parameters schema of tool '{name}' must be a JSON object (e.g. {{\"type\":\"object\",\"properties\":{{}}}}); it is {parametersSchema.ValueKind}.", nameof(parametersSchema));
        }

        return Register(new DescribedToolFunction(name, description, parametersSchema.Clone(), invoke));
    }

    /// <summary>Removes the tool named <paramref name="name"/>.</summary>
    /// <param name="name">The tool name.</param>
    /// <returns><see langword="true"/> when a tool was removed.</returns>
    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_writeLock)
        {
            if (!_tools.ContainsKey(name))
            {
                return false;
            }

            var copy = new Dictionary<string, AIFunction>(_tools, StringComparer.Ordinal);
            copy.Remove(name);
            Volatile.Write(ref _tools, copy);
            return true;
        }
    }

    /// <summary>Finds a tool by name.</summary>
    /// <param name="name">The tool name.</param>
    /// <param name="tool">The tool, when found.</param>
    /// <returns><see langword="true"/> when a tool has that name.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AIFunction? tool)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Volatile.Read(ref _tools).TryGetValue(name, out tool);
    }

    private static JsonSerializerOptions CreateCompactJson()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Gets the current tools as a snapshot.</summary>
    internal Dictionary<string, AIFunction> Snapshot => Volatile.Read(ref _tools);
}
