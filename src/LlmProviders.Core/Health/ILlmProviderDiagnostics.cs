using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Health;

/// <summary>
/// Tests a provider's configuration (SPEC H5, seed 002's quick test): reachability (network, DNS, connection), the key (401/403)
/// and the model (in the provider's model list). Uses the provider's cheap check and model list, never a paid completion.
/// </summary>
public interface ILlmProviderDiagnostics
{
    /// <summary>Tests one provider.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <param name="model">The model to look for in the provider's model list; <see langword="null"/> checks only that models are listed.</param>
    /// <param name="cancellationToken">Cancels the test.</param>
    /// <returns>The report; failures are reported, not thrown.</returns>
    /// <exception cref="System.ArgumentException">No provider has that name.</exception>
    Task<LlmProviderTestReport> TestProviderAsync(string providerName, string? model = null, CancellationToken cancellationToken = default);

    /// <summary>Tests every registered provider (routers excluded), in parallel.</summary>
    /// <param name="cancellationToken">Cancels the tests.</param>
    /// <returns>One report per provider, in registration order.</returns>
    Task<IReadOnlyList<LlmProviderTestReport>> TestAllProvidersAsync(CancellationToken cancellationToken = default);
}
