using System;
using Microsoft.Extensions.Logging;

namespace LlmProviders.Tools;

/// <summary>Adds the tool-invocation loop to any <see cref="ILlmProvider"/>.</summary>
public static class LlmToolInvocationExtensions
{
    /// <summary>
    /// Wraps <paramref name="provider"/> so that it runs tools itself: the model asks for tool calls, they run (several at
    /// once up to <see cref="LlmToolInvocationOptions.MaxConcurrentInvocations"/>), their results go back, and so on until
    /// the model answers or <see cref="LlmToolInvocationOptions.MaxIterations"/> is reached. The model is offered the tools of
    /// <paramref name="tools"/> plus the request's own <see cref="Microsoft.Extensions.AI.AIFunction"/>s.
    /// <see cref="ILlmProvider.ChatAsync"/> then returns an <see cref="LlmToolLoopResult"/> whose usage and cost are summed
    /// over the loop.
    /// </summary>
    /// <param name="provider">The provider (or router) each model call goes through.</param>
    /// <param name="tools">The tools; registering more later is seen by later calls.</param>
    /// <param name="options">The loop's options; copied. <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">The clock that measures the loop's latency; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Logs tool failures (never arguments or results); none when <see langword="null"/>.</param>
    /// <returns>A provider with the same name, kind and capabilities that runs the loop.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message names the option and the fix.</exception>
    public static ILlmProvider WithToolInvocation(
        this ILlmProvider provider,
        LlmToolRegistry tools,
        LlmToolInvocationOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(tools);
        return new ToolInvokingProvider(provider, tools, options ?? new LlmToolInvocationOptions(), timeProvider, logger);
    }
}
