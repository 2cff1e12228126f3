namespace LlmProviders.Simulation;

/// <summary>A tool call the <see cref="SimulatedProvider"/> answers with (see <see cref="SimulatedProviderOptions.ToolCalls"/>).</summary>
public sealed class SimulatedToolCall
{
    /// <summary>Gets or sets the name of the tool called; the call is made only when the request offers a tool of that name.</summary>
    /// <value>The default value is an empty string (set it).</value>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the call's arguments, as a JSON object.</summary>
    /// <value>The default value is <c>{}</c>.</value>
    public string Arguments { get; set; } = "{}";
}
