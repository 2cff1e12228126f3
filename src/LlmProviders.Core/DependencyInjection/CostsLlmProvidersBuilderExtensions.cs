using System;
using LlmProviders.Costs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures costs (SPEC C1–C5) on an <see cref="LlmProvidersBuilder"/>: the model catalog, budgets, the cost tracker and the
/// ledger store. Costs are on by default: <c>AddLlmProviders</c> registers the built-in catalog, an in-memory ledger, the tracker
/// and a budget manager without budgets; these methods change them.
/// </summary>
public static class CostsLlmProvidersBuilderExtensions
{
    /// <summary>Configures the model catalog: overrides and additions, LiteLLM imports, cost multipliers.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the catalog options.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder ConfigureModelCatalog(this LlmProvidersBuilder builder, Action<ModelCatalogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds a budget (daily, weekly, monthly or total; global or scoped to a provider, a model or a tag).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="budget">The budget.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder AddBudget(this LlmProvidersBuilder builder, CostBudget budget)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(budget);
        builder.Services.Configure<BudgetOptions>(o => o.Budgets.Add(budget));
        return builder;
    }

    /// <summary>Configures the budgets (all of them, and their time zone).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the budget options.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder ConfigureBudgets(this LlmProvidersBuilder builder, Action<BudgetOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Configures the cost tracker (the time zone of its days and months).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the tracker options.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder ConfigureCostTracking(this LlmProvidersBuilder builder, Action<CostTrackerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Configures the in-memory ledger (how many records it keeps, for how long). To keep the ledger elsewhere, register your
    /// own <see cref="ICostLedgerStore"/> before calling <c>AddLlmProviders</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the ledger options.</param>
    /// <returns>The builder.</returns>
    public static LlmProvidersBuilder ConfigureCostLedger(this LlmProvidersBuilder builder, Action<InMemoryCostLedgerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the cost services once (called by <c>AddLlmProviders</c>); each is replaceable by registering it first.</summary>
    /// <param name="services">The services.</param>
    /// <param name="state">The registrations, whose names the catalog maps to provider kinds.</param>
    internal static void AddCostServices(IServiceCollection services, LlmProvidersState state)
    {
        services.AddOptions<ModelCatalogOptions>();
        services.AddOptionsWithValidateOnStart<BudgetOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BudgetOptions>>(BudgetOptionsValidator.Instance));
        services.TryAddSingleton<IModelCatalog>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ModelCatalogOptions>>().Value;
            foreach (var registration in state.Registrations)
            {
                if (!options.ProviderKinds.ContainsKey(registration.Name))
                {
                    options.ProviderKinds[registration.Name] = registration.Kind;
                }
            }

            return ModelCatalog.Create(options, sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(ModelCatalog).FullName!), sp.GetService<TimeProvider>());
        });
        services.AddOptions<CostTrackerOptions>();
        services.AddOptions<InMemoryCostLedgerOptions>();
        services.TryAddSingleton<ICostLedgerStore>(static sp => new InMemoryCostLedgerStore(
            sp.GetRequiredService<IOptions<InMemoryCostLedgerOptions>>().Value, sp.GetService<TimeProvider>()));
        services.TryAddSingleton(static sp => new CostTracker(
            sp.GetRequiredService<ICostLedgerStore>(), sp.GetService<TimeProvider>(), sp.GetRequiredService<IOptions<CostTrackerOptions>>().Value));
        services.TryAddSingleton<ICostTracker>(static sp => sp.GetRequiredService<CostTracker>());
        services.TryAddSingleton<IBudgetGuard>(static sp => sp.GetRequiredService<BudgetManager>());
        services.TryAddSingleton(static sp => new BudgetManager(
            sp.GetRequiredService<ICostLedgerStore>(),
            sp.GetRequiredService<IOptions<BudgetOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<BudgetManager>>()));
    }
}
