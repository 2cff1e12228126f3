using System;
using LlmProviders;
using LlmProviders.Routing;
using LlmProviders.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers tools and the tool-invocation loop.</summary>
public static class ToolsLlmProvidersBuilderExtensions
{
    /// <summary>
    /// Makes the unkeyed <see cref="ILlmProvider"/> run the tool loop over the router: the model's tool calls run against the
    /// tools of the <see cref="LlmToolRegistry"/> singleton (see <see cref="AddTool(LlmProvidersBuilder, AIFunction)"/>) and the
    /// request's own <see cref="AIFunction"/>s, until the model answers; each model call is routed (and failed over) on its own.
    /// <see cref="ILlmRouter"/> and the keyed providers stay as they are (no loop). The options are validated at start.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the loop, e.g. <c>o =&gt; o.MaxIterations = 5</c>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Idempotent: calling it again (or <c>AddTool</c>) only adds configuration.</remarks>
    public static LlmProvidersBuilder AddToolInvocation(this LlmProvidersBuilder builder, Action<LlmToolInvocationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GetOrAddRegistry(builder.Services);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        return builder;
    }

    /// <summary>Registers a function as a tool (under its <see cref="AITool.Name"/>) and turns the tool loop on (<see cref="AddToolInvocation"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="tool">The function, e.g. from <see cref="AIFunctionFactory"/>.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddTool(this LlmProvidersBuilder builder, AIFunction tool)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GetOrAddRegistry(builder.Services).Register(tool);
        return builder;
    }

    /// <summary>
    /// Registers a .NET method as a tool named <paramref name="name"/> (its schema derived by <see cref="AIFunctionFactory"/>)
    /// and turns the tool loop on (<see cref="AddToolInvocation"/>): <c>builder.AddTool("get_weather", (string location) =&gt; …)</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The tool name the model calls.</param>
    /// <param name="method">The method; its parameters are bound from the call's arguments.</param>
    /// <param name="description">What the tool does, for the model.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddTool(this LlmProvidersBuilder builder, string name, Delegate method, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GetOrAddRegistry(builder.Services).Register(name, method, description);
        return builder;
    }

    private static LlmToolRegistry GetOrAddRegistry(IServiceCollection services)
    {
        ServiceDescriptor? unkeyedProvider = null;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(LlmToolRegistry) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is LlmToolRegistry existing)
            {
                return existing;
            }

            if (descriptor.ServiceType == typeof(ILlmProvider) && !descriptor.IsKeyedService)
            {
                unkeyedProvider ??= descriptor;
            }
        }

        var registry = new LlmToolRegistry();
        services.AddSingleton(registry);
        services.AddOptionsWithValidateOnStart<LlmToolInvocationOptions, LlmToolInvocationOptionsValidator>();

        // The unkeyed provider (the router, registered by AddLlmProviders) becomes the loop over the router.
        if (unkeyedProvider is not null)
        {
            services.Remove(unkeyedProvider);
        }

        services.AddSingleton<ILlmProvider>(static sp => new ToolInvokingProvider(
            sp.GetRequiredService<ILlmRouter>(),
            sp.GetRequiredService<LlmToolRegistry>(),
            sp.GetRequiredService<IOptions<LlmToolInvocationOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("LlmProviders.Tools"),
            sp));
        return registry;
    }
}
