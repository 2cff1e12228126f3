using System;
using System.Collections.Generic;
using System.Globalization;
using LlmProviders.Costs;
using LlmProviders.Resilience;
using LlmProviders.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmProviders.Configuration;

/// <summary>
/// Builds the system from a configuration section (SPEC D1 second form, D2, D3): providers through their binders, their
/// resilience, routes, the router's knobs, budgets, catalog overrides and cost tracking. Problems are collected (one message
/// each, naming the configuration path, the value — never a key — and the fix) and reported together at start.
/// </summary>
internal static class LlmProvidersConfigurationLoader
{
    private static readonly string[] RouterKnobs = ["DefaultProvider", "DefaultStrategy", "EnableFallback", "PreferLocal", "MaxLatency"];

    public static void Load(LlmProvidersBuilder builder, IConfiguration configuration, Func<string, string?> environment)
    {
        var state = builder.State.Configuration;
        state.EnsureDiscovered();
        var root = new NormalizedConfigurationSection(configuration, environment);
        state.Root = root;
        var problems = state.Problems;
        var services = builder.Services;

        // Top level: knobs, global timeout, health and cache settings.
        foreach (var knob in RouterKnobs)
        {
            CheckKnob(root, knob, problems, state);
        }

        if (root.Section("Timeout") is { Exists: true } globalTimeout && Duration(globalTimeout, problems) is { } total)
        {
            services.ConfigureAll<TargetResilienceOptions>(o => o.Timeouts.Total ??= total);
        }

        if (root.Section("HealthCheckInterval") is { Exists: true } interval)
        {
            state.HealthCheckInterval = Duration(interval, problems);
        }

        if (root.Section("Health") is { Exists: true } health)
        {
            CheckTree(health, problems);
            state.Health = health;
        }

        if ((root.Section("Cache") is { Exists: true } c ? c : root.Section("ResponseCache")) is { Exists: true } cache)
        {
            CheckTree(cache, problems);
            state.Cache = cache;
        }

        // Providers: check each, then register the good ones by priority (stable).
        var broken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var skipped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var candidates = new List<(int Priority, int Index, string Name, NormalizedConfigurationSection Section, string Type, ILlmProviderConfigurationBinder Binder)>();
        foreach (NormalizedConfigurationSection section in root.Section("Providers").GetChildren())
        {
            string? name = Text(section, "Name") ?? (IsIndex(section.Key) ? null : section.Key);
            if (name is null)
            {
                problems.Add($"{section.Path}: the provider has no Name. Add \"Name\": \"openai\" (entries of a Providers array need one), or key the provider by its name.");
                continue;
            }

            int before = problems.Count;
            bool enabled = Bool(section, "Enabled", problems) ?? true;
            bool optional = Bool(section, "Optional", problems) ?? false;
            if (!enabled)
            {
                skipped.Add(name); // Routes naming it leave it out, as they do a skipped optional provider.
                continue;
            }

            string type = Text(section, "Type") ?? name;
            if (!state.Binders.TryGetValue(ConfigurationKeys.Canonical(type), out var entry))
            {
                problems.Add(
                    $"{section.Section("Type").Path}: '{type}' is no known provider type. Use one of: {state.KnownTypes()}. " +
                    "A type from another package needs that package referenced (or builder.AddConfigurationBinder for a provider of your own).");
                broken.Add(name);
                continue;
            }

            CheckTree(section, problems);
            CheckUrl(section, "BaseUrl", problems);
            int priority = Int(section, "Priority", problems) ?? 0;
            if (problems.Count == before && !HasKey(section, entry.Type, entry.Binder, environment, problems, out var variables))
            {
                if (optional)
                {
                    state.Skipped.Add((section.Path, entry.Type, variables));
                    skipped.Add(name);
                    continue;
                }

                problems.Add(MissingKey(section, name, entry.Type, entry.Binder));
            }

            if (problems.Count > before)
            {
                broken.Add(name);
                continue;
            }

            candidates.Add((priority, candidates.Count, name, section, entry.Type, entry.Binder));
        }

        candidates.Sort(static (a, b) => a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : a.Index.CompareTo(b.Index));
        foreach (var candidate in candidates)
        {
            Register(builder, candidate.Name, candidate.Type, candidate.Binder, candidate.Section, candidate.Priority, state, problems);
        }

        AddRoutes(builder, root, state, broken, skipped);
        AddCosts(services, root, problems);
        AddHealthAndCache(builder, state);
        OverlayRouterEnvironment(services, root);
    }

    // The health monitor runs when the Health section or any HealthCheckInterval (top level or per provider) is set; the
    // response cache is added when the Cache (or ResponseCache) section exists or a provider sets EnableCaching (seed 002).
    private static void AddHealthAndCache(LlmProvidersBuilder builder, LlmProvidersConfigurationState state)
    {
        bool health = state.Health is not null || state.HealthCheckInterval is not null;
        bool cache = state.Cache is not null;
        foreach (var provider in state.Providers)
        {
            health |= provider.HealthCheckInterval is not null;
            cache |= provider.EnableCaching == true;
        }

        if (health)
        {
            builder.AddHealthMonitoring(options =>
            {
                if (state.Health is { } section)
                {
                    section.Bind(options);
                }

                if (state.HealthCheckInterval is { } every)
                {
                    options.Interval = every;
                }

                foreach (var provider in state.Providers)
                {
                    if (provider.HealthCheckInterval is { } interval && interval != state.HealthCheckInterval)
                    {
                        if (!options.Providers.TryGetValue(provider.Name, out var perProvider))
                        {
                            options.Providers[provider.Name] = perProvider = new LlmProviders.Health.ProviderHealthMonitorOptions();
                        }

                        perProvider.Interval ??= interval;
                    }
                }
            });
        }

        if (cache)
        {
            builder.AddResponseCache(options =>
            {
                if (state.Cache is { } section)
                {
                    section.Bind(options);
                }

                foreach (var provider in state.Providers)
                {
                    if (provider.EnableCaching == true && !options.Providers.Contains(provider.Name))
                    {
                        options.Providers.Add(provider.Name);
                    }
                }
            });
        }
    }

    /// <summary>
    /// With no <c>Providers</c> section, SPEC's provider table works from the environment alone: every binder names the providers
    /// its variables enable (<c>OPENAI_API_KEY</c> → openai, <c>OLLAMA_BASE_URL</c> → ollama …), registered under their usual
    /// names. Runs after the code additions, so a name registered in code is left alone.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static void AddEnvironmentProviders(LlmProvidersBuilder builder, Func<string, string?> environment)
    {
        var state = builder.State.Configuration;
        if (state.Root is not NormalizedConfigurationSection root || root.Section("Providers").Exists)
        {
            return;
        }

        var binders = new List<ILlmProviderConfigurationBinder>();
        foreach (var entry in state.Binders.Values)
        {
            if (!binders.Contains(entry.Binder))
            {
                binders.Add(entry.Binder);
            }
        }

        foreach (var binder in binders)
        {
            foreach (var (type, name) in binder.GetEnvironmentProviders(environment))
            {
                if (state.Binders.TryGetValue(ConfigurationKeys.Canonical(type), out var entry) && !IsTaken(builder, name))
                {
                    Register(builder, name, entry.Type, entry.Binder, root.Section("Providers").Section(name), 0, state, state.Problems);
                }
            }
        }
    }

    private static bool IsTaken(LlmProvidersBuilder builder, string name)
    {
        foreach (var registered in builder.State.Names)
        {
            if (string.Equals(registered, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void Register(LlmProvidersBuilder builder, string name, string type, ILlmProviderConfigurationBinder binder, NormalizedConfigurationSection section, int priority, LlmProvidersConfigurationState state, List<string> problems)
    {
        try
        {
            binder.AddProvider(new LlmProviderConfigurationContext(builder, name, type, section));
        }
        catch (InvalidOperationException ex)
        {
            problems.Add($"{section.Path}: {ex.Message}");
            return;
        }
        catch (ArgumentException ex)
        {
            problems.Add($"{section.Path}: {ex.Message}");
            return;
        }

        var services = builder.Services;
        services.AddOptions<TargetResilienceOptions>(name).Configure(o => BindResilience(o, section)).ValidateOnStart();
        services.AddSingleton<IOptionsChangeTokenSource<TargetResilienceOptions>>(new ConfigurationChangeTokenSource<TargetResilienceOptions>(name, section));
        if (Text(section, "CostMultiplier") is { } multiplierText &&
            decimal.TryParse(multiplierText, NumberStyles.Number, CultureInfo.InvariantCulture, out var multiplier))
        {
            services.Configure<ModelCatalogOptions>(o => o.CostMultipliers[name] = multiplier);
        }

        string kind = type;
        foreach (var registration in builder.State.Registrations)
        {
            if (string.Equals(registration.Name, name, StringComparison.Ordinal))
            {
                kind = registration.Kind;
            }
        }

        var models = new List<string>();
        foreach (var model in section.Section("Models").GetChildren())
        {
            if (model.Value is { Length: > 0 } id)
            {
                models.Add(id);
            }
        }

        var interval = section.Section("HealthCheckInterval");
        state.Providers.Add(new ConfiguredProvider(
            name,
            kind,
            interval.Exists ? Duration(interval, problems) : state.HealthCheckInterval,
            Bool(section, "EnableCaching", problems),
            priority,
            models));
    }

    // The provider's resilience from its section: Resilience (the whole TargetResilienceOptions), then RateLimit, Retry,
    // CircuitBreaker, Timeouts, Timeout and MaxConcurrency at the provider's level; seed 001's retry.max_attempts counts the first try.
    private static void BindResilience(TargetResilienceOptions options, NormalizedConfigurationSection section)
    {
        if (section.Section("Resilience") is { Exists: true } resilience)
        {
            resilience.Bind(options);
        }

        if (section.Section("RateLimit") is { Exists: true } rateLimit)
        {
            rateLimit.Bind(options.RateLimit);
        }

        if (section.Section("Retry") is { Exists: true } retry)
        {
            retry.Bind(options.Retry);
            if (int.TryParse(retry["MaxAttempts"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int attempts))
            {
                options.Retry.MaxRetries = Math.Max(0, attempts - 1);
            }
        }

        if (section.Section("CircuitBreaker") is { Exists: true } breaker)
        {
            breaker.Bind(options.CircuitBreaker);
        }

        if (section.Section("Timeouts") is { Exists: true } timeouts)
        {
            timeouts.Bind(options.Timeouts);
        }

        if (ConfigurationKeys.TryParseDuration(section.Section("Timeout").Value, out var total))
        {
            options.Timeouts.Total = total;
        }

        if (int.TryParse(section["MaxConcurrency"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int concurrency))
        {
            options.MaxConcurrency = concurrency;
        }
    }

    private static bool HasKey(NormalizedConfigurationSection section, string type, ILlmProviderConfigurationBinder binder, Func<string, string?> environment, List<string> problems, out string variables)
    {
        var names = binder.GetApiKeyVariables(type);
        variables = names.Count == 0 ? "an ApiKey" : string.Join(" or ", names);
        if (!binder.IsApiKeyRequired(type) || Text(section, "ApiKey") is not null ||
            (Bool(section, "AllowMissingApiKey", problems) ?? false) || (Bool(section, "IsLocal", problems) ?? false))
        {
            return true;
        }

        foreach (var name in names)
        {
            if (!string.IsNullOrWhiteSpace(environment(name)))
            {
                return true;
            }
        }

        return false;
    }

    private static string MissingKey(NormalizedConfigurationSection section, string name, string type, ILlmProviderConfigurationBinder binder)
    {
        var names = binder.GetApiKeyVariables(type);
        string example = names.Count == 0 ? "env:MY_PROVIDER_API_KEY" : "env:" + names[0];
        string variable = names.Count == 0 ? string.Empty : $", set the environment variable {string.Join(" or ", names)}";
        return $"{section.Section("ApiKey").Path}: the {type} provider '{name}' has no API key. Set it (e.g. \"ApiKey\": \"{example}\", or user secrets){variable}, " +
            "mark the provider \"Optional\": true to skip it while no key exists, or set \"Enabled\": false.";
    }

    private static void AddRoutes(LlmProvidersBuilder builder, NormalizedConfigurationSection root, LlmProvidersConfigurationState state, HashSet<string> broken, HashSet<string> skipped)
    {
        var problems = state.Problems;
        foreach (NormalizedConfigurationSection section in root.Section("Routes").GetChildren())
        {
            string? name = Text(section, "Name") ?? (IsIndex(section.Key) ? null : section.Key);
            if (name is null)
            {
                problems.Add($"{section.Path}: the route has no Name. Add \"Name\": \"default\" (entries of a Routes array need one), or key the route by its name.");
                continue;
            }

            int before = problems.Count;
            CheckTree(section, problems);
            var targets = new List<(ChainTarget Target, string Path)>();
            if (section.Section("Provider") is { Value: { } primary } primarySection)
            {
                AddTarget(targets, primarySection, primary, Text(section, "Model"), problems);
            }

            foreach (NormalizedConfigurationSection fallback in section.Section("Fallbacks").GetChildren())
            {
                AddTarget(targets, fallback, problems);
            }

            foreach (NormalizedConfigurationSection target in section.Section("Targets").GetChildren())
            {
                AddTarget(targets, target, problems);
            }

            RoutingStrategyKind? strategy = null;
            if (section.Section("Strategy") is { Value: { } strategyName } strategySection)
            {
                if (RoutingStrategies.TryParse(strategyName, out var kind))
                {
                    strategy = kind;
                }
                else
                {
                    problems.Add(UnknownStrategy(strategySection.Path, strategyName));
                }
            }

            bool? enableFallback = Bool(section, "EnableFallback", problems);
            bool? preferLocal = Bool(section, "PreferLocal", problems);
            bool? localOnly = Bool(section, "LocalOnly", problems);
            bool? contentFilter = Bool(section, "FailoverOnContentFilter", problems);
            bool? skipUnregistered = Bool(section, "SkipUnregisteredTargets", problems);
            var maxLatency = section.Section("MaxLatency") is { Exists: true } latency ? Duration(latency, problems) : null;
            var timeout = section.Section("Timeout") is { Exists: true } time ? Duration(time, problems) : null;
            if (targets.Count == 0 && problems.Count == before)
            {
                problems.Add($"{section.Path}: the route '{name}' has no targets. Add \"Targets\": [\"openai/gpt-4o-mini\", \"ollama\"] (or \"Provider\", \"Model\" and \"Fallbacks\").");
            }

            if (problems.Count > before)
            {
                continue;
            }

            var kept = new List<ChainTarget>(targets.Count);
            foreach (var (target, path) in targets)
            {
                if (skipped.Contains(target.ProviderName) || broken.Contains(target.ProviderName))
                {
                    continue; // A skipped optional provider, or one whose own problem is reported already.
                }

                state.References.Add((path, target.ProviderName));
                kept.Add(target);
            }

            if (kept.Count == 0)
            {
                state.SkippedRoutes.Add(section.Path);
                continue;
            }

            var registered = builder.State;
            try
            {
                builder.AddRoute(name, o =>
                {
                    foreach (var target in kept)
                    {
                        var spelled = Spelling(registered, target.ProviderName);
                        if (spelled is null)
                        {
                            o.SkipUnregisteredTargets = true; // Reported at start by the configuration check, with its path.
                        }

                        o.Targets.Add(new ChainTarget(spelled ?? target.ProviderName, target.Model)
                        {
                            Priority = target.Priority,
                            Weight = target.Weight,
                            MaxOutputTokens = target.MaxOutputTokens,
                        });
                    }

                    o.Strategy = strategy ?? o.Strategy;
                    o.EnableFallback = enableFallback ?? o.EnableFallback;
                    o.PreferLocal = preferLocal ?? o.PreferLocal;
                    o.LocalOnly = localOnly ?? o.LocalOnly;
                    o.FailoverOnContentFilter = contentFilter ?? o.FailoverOnContentFilter;
                    o.SkipUnregisteredTargets |= skipUnregistered ?? false;
                    o.MaxLatency = maxLatency ?? o.MaxLatency;
                    o.Timeout = timeout ?? o.Timeout;
                });
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"{section.Path}: {ex.Message}");
            }
        }
    }

    private static void AddTarget(List<(ChainTarget, string)> targets, NormalizedConfigurationSection section, List<string> problems)
    {
        if (section.Value is { } text)
        {
            AddTarget(targets, section, text, null, problems);
            return;
        }

        if (Text(section, "Provider") is not { } provider)
        {
            problems.Add($"{section.Path}: the target names no provider. Write \"openai/gpt-4o\" or {{ \"Provider\": \"openai\", \"Model\": \"gpt-4o\" }}.");
            return;
        }

        int before = problems.Count;
        var target = new ChainTarget(provider.Trim(), Text(section, "Model"))
        {
            Priority = Int(section, "Priority", problems) ?? 0,
            MaxOutputTokens = Int(section, "MaxOutputTokens", problems),
        };
        if (Text(section, "Weight") is { } weightText)
        {
            if (double.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) && weight > 0 && !double.IsInfinity(weight))
            {
                target.Weight = weight;
            }
            else
            {
                problems.Add($"{section.Section("Weight").Path}: '{weightText}' is no positive number. Set a weight such as 1 or 2.5 (the default is 1).");
            }
        }

        if (problems.Count == before)
        {
            targets.Add((target, section.Path));
        }
    }

    private static void AddTarget(List<(ChainTarget, string)> targets, NormalizedConfigurationSection section, string text, string? model, List<string> problems)
    {
        text = text.Trim();
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string provider = slash < 0 ? text : text[..slash].Trim();
        string? targetModel = slash < 0 ? model : text[(slash + 1)..].Trim();
        if (provider.Length == 0 || targetModel is { Length: 0 })
        {
            problems.Add($"{section.Path}: '{text}' is no target. Write \"provider\" or \"provider/model\", e.g. \"openai/gpt-4o\".");
            return;
        }

        targets.Add((new ChainTarget(provider, targetModel), section.Path));
    }

    private static string? Spelling(LlmProvidersState state, string name)
    {
        foreach (var registered in state.Names)
        {
            if (string.Equals(registered, name, StringComparison.OrdinalIgnoreCase))
            {
                return registered;
            }
        }

        return null;
    }

    private static void AddCosts(IServiceCollection services, NormalizedConfigurationSection root, List<string> problems)
    {
        var budgets = new List<NormalizedConfigurationSection>();
        foreach (NormalizedConfigurationSection budget in root.Section("Budgets").GetChildren())
        {
            int before = problems.Count;
            CheckTree(budget, problems);
            CheckEnum<BudgetPeriod>(budget, "Period", problems);
            CheckEnum<BudgetLimitAction>(budget, "OnExceeded", problems);
            if (budget.Section("Limit").Value is null)
            {
                problems.Add($"{budget.Section("Limit").Path}: the budget has no Limit. Set the amount in US dollars, e.g. \"Limit\": 50.");
            }

            if (problems.Count == before)
            {
                budgets.Add(budget);
            }
        }

        if (budgets.Count > 0)
        {
            services.Configure<BudgetOptions>(o =>
            {
                foreach (var section in budgets)
                {
                    var budget = new CostBudget();
                    if (section.Section("AlertThresholds").HasChildren)
                    {
                        budget.AlertThresholds = []; // Binding appends to a list: the configured thresholds replace the default.
                    }

                    section.Bind(budget);
                    if (string.IsNullOrEmpty(budget.Name))
                    {
                        budget.Name = IsIndex(section.Key) ? "budget-" + section.Key : section.Key;
                    }

                    o.Budgets.Add(budget);
                }
            });
        }

        if (root.Section("BudgetTimeZone") is { Value: { } zone })
        {
            services.Configure<BudgetOptions>(o => o.TimeZoneId = zone);
        }

        if (root.Section("ModelCatalog") is { Exists: true } catalog)
        {
            CheckTree(catalog, problems);
            services.Configure<ModelCatalogOptions>(o => catalog.Bind(o));
        }

        if (root.Section("CostTracking") is { Exists: true } tracking)
        {
            CheckTree(tracking, problems);
            services.Configure<CostTrackerOptions>(o => tracking.Bind(o));
        }
    }

    // The router's knobs: the configuration supplies each LLM_* variable the environment leaves unset (the environment wins).
    private static void OverlayRouterEnvironment(IServiceCollection services, NormalizedConfigurationSection root)
    {
        for (int i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(RouterEnvironment) && !descriptor.IsKeyedService && descriptor.ImplementationInstance is RouterEnvironment inner)
            {
                services[i] = ServiceDescriptor.Singleton(new RouterEnvironment(name => inner.Read(name) ?? Knob(root, name)));
                return;
            }
        }
    }

    private static string? Knob(NormalizedConfigurationSection root, string variable)
    {
        switch (variable)
        {
            case RouterEnvironment.DefaultProviderVariable:
                return root["DefaultProvider"];
            // Invalid values are left out: the configuration check reports them with their path (and the environment's own
            // check would report them again under the variable's name).
            case RouterEnvironment.RoutingStrategyVariable:
                return root["DefaultStrategy"] is { } strategy && RoutingStrategies.TryParse(strategy, out _) ? strategy : null;
            case RouterEnvironment.EnableFallbackVariable:
                return root["EnableFallback"] is { } fallback && bool.TryParse(fallback.Trim(), out _) ? fallback.Trim() : null;
            case RouterEnvironment.PreferLocalVariable:
                return root["PreferLocal"] is { } local && bool.TryParse(local.Trim(), out _) ? local.Trim() : null;
            case RouterEnvironment.MaxLatencyVariable:
                return ConfigurationKeys.TryParseDuration(root.Section("MaxLatency").Value, out var latency) && latency > TimeSpan.Zero
                    ? Math.Max(1, (long)latency.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)
                    : null;
            default:
                return null;
        }
    }

    private static void CheckKnob(NormalizedConfigurationSection root, string knob, List<string> problems, LlmProvidersConfigurationState state)
    {
        var section = root.Section(knob);
        if (section.Value is not { } value)
        {
            return;
        }

        switch (knob)
        {
            case "DefaultProvider":
                state.References.Add((section.Path, value));
                break;
            case "DefaultStrategy":
                if (!RoutingStrategies.TryParse(value, out _))
                {
                    problems.Add(UnknownStrategy(section.Path, value));
                }

                break;
            case "MaxLatency":
                if (Duration(section, problems) is { } latency && latency <= TimeSpan.Zero)
                {
                    problems.Add($"{section.Path}: '{section.RawValue}' is not positive. Set the longest expected latency, e.g. 2 (seconds) or \"1500ms\".");
                }

                break;
            default:
                Bool(root, knob, problems);
                break;
        }
    }

    private static string UnknownStrategy(string path, string value) =>
        $"{path}: '{value}' is no routing strategy. Use one of: {RouterEnvironment.AcceptedStrategies} (case, '_' and '-' are ignored).";

    // Durations, limits: every value of the subtree whose key holds one.
    private static void CheckTree(NormalizedConfigurationSection section, List<string> problems)
    {
        foreach (NormalizedConfigurationSection child in section.GetChildren())
        {
            if (child.RawValue is not null)
            {
                if (ConfigurationKeys.IsDuration(child.Key))
                {
                    Duration(child, problems);
                }
                else if (ConfigurationKeys.IsLimit(child.Key) && child.Value is { } value)
                {
                    if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    {
                        problems.Add($"{child.Path}: '{child.RawValue}' is not a number. Set a number of 0 or more.");
                    }
                    else if (number < 0)
                    {
                        problems.Add($"{child.Path}: {value} is negative. Set 0 or more (leave it unset for no limit).");
                    }
                }
            }

            CheckTree(child, problems);
        }
    }

    private static TimeSpan? Duration(NormalizedConfigurationSection section, List<string> problems)
    {
        if (section.Value is not { } text)
        {
            return null;
        }

        if (ConfigurationKeys.TryParseDuration(text, out var duration))
        {
            return duration;
        }

        problems.Add($"{section.Path}: '{section.RawValue}' is no duration. Write seconds (30, 2.5), a number with a unit (500ms, 30s, 5m, 1h) or a TimeSpan (00:00:30).");
        return null;
    }

    private static void CheckUrl(NormalizedConfigurationSection section, string key, List<string> problems)
    {
        var child = section.Section(key);
        if (child.Value is { } value &&
            (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"{child.Path}: '{value}' is no absolute http(s) URL. Write the API's base URL, e.g. \"https://api.openai.com/v1\" or \"http://localhost:11434\".");
        }
    }

    private static void CheckEnum<TEnum>(NormalizedConfigurationSection section, string key, List<string> problems)
        where TEnum : struct, Enum
    {
        var child = section.Section(key);
        if (child.Value is { } value && (!Enum.TryParse<TEnum>(value, ignoreCase: true, out _) || int.TryParse(value, out _)))
        {
            problems.Add($"{child.Path}: '{value}' is no {typeof(TEnum).Name}. Use one of: {string.Join(", ", Enum.GetNames<TEnum>())}.");
        }
    }

    private static string? Text(NormalizedConfigurationSection section, string key) =>
        section.Section(key).Value is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool? Bool(NormalizedConfigurationSection section, string key, List<string> problems)
    {
        var child = section.Section(key);
        if (child.Value is not { } value)
        {
            return null;
        }

        if (bool.TryParse(value.Trim(), out bool result))
        {
            return result;
        }

        problems.Add($"{child.Path}: '{value}' is not a boolean. Write true or false.");
        return null;
    }

    private static int? Int(NormalizedConfigurationSection section, string key, List<string> problems)
    {
        var child = section.Section(key);
        if (child.Value is not { } value)
        {
            return null;
        }

        if (int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int result))
        {
            return result;
        }

        problems.Add($"{child.Path}: '{value}' is not a whole number. Write e.g. 1.");
        return null;
    }

    private static bool IsIndex(string key) => key.Length > 0 && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
