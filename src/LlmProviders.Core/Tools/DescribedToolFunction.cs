using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace LlmProviders.Tools;

/// <summary>A tool described by hand: name, description, JSON schema and a delegate. No reflection.</summary>
internal sealed class DescribedToolFunction(
    string name,
    string description,
    JsonElement schema,
    Func<AIFunctionArguments, CancellationToken, ValueTask<object?>> invoke) : AIFunction
{
    public override string Name { get; } = name;

    public override string Description { get; } = description;

    public override JsonElement JsonSchema { get; } = schema;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        invoke(arguments, cancellationToken);
}
