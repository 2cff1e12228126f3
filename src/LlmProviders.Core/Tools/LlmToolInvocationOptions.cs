namespace LlmProviders.Tools;

/// <summary>Configures the tool-invocation loop (<see cref="LlmToolInvocationExtensions.WithToolInvocation"/>, <c>AddToolInvocation</c>).</summary>
public sealed class LlmToolInvocationOptions
{
    /// <summary>
    /// Gets or sets the most model calls one request makes. When the model still asks for tools on the last of them, the
    /// loop stops there and returns that answer as it is — its tool calls not run — with
    /// <see cref="LlmToolLoopResult.MaxIterationsReached"/> set.
    /// </summary>
    /// <value>The default value is 10.</value>
    public int MaxIterations { get; set; } = 10;

    /// <summary>Gets or sets how many tool calls of one model turn run at the same time (1 runs them one after another, in order).</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrentInvocations { get; set; } = 4;

    /// <summary>
    /// Gets or sets a value indicating whether the message of a tool's exception goes back to the model. Off, the model is only
    /// told that the tool failed (exception messages may hold details the model, and so the user, should not see).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IncludeDetailedErrors { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a tool's exception ends the call (rethrown to the caller) instead of being
    /// reported to the model. Unknown tools and invalid arguments JSON are always reported to the model.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ThrowOnToolError { get; set; }
}
