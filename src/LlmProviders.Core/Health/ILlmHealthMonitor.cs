using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace LlmProviders.Health;

/// <summary>
/// Watches the health of every registered provider (SPEC H1), including those added at run time: background checks on an
/// interval (the provider's cheap check, never a paid completion unless configured) plus the outcomes of real traffic.
/// </summary>
/// <remarks>
/// Under a host it starts and stops with the application; without one, call <see cref="StartAsync"/> and <see cref="StopAsync"/>,
/// or only <see cref="CheckNowAsync"/>.
/// </remarks>
public interface ILlmHealthMonitor
{
    /// <summary>Gets the health of every provider (routers excluded), in registration order.</summary>
    /// <returns>One snapshot per provider.</returns>
    IReadOnlyList<LlmProviderHealth> GetAll();

    /// <summary>Gets the health of one provider.</summary>
    /// <param name="providerName">The provider's registration name.</param>
    /// <returns>The snapshot, or <see langword="null"/> when no provider (other than a router) has that name.</returns>
    LlmProviderHealth? GetHealth(string providerName);

    /// <summary>Checks providers now, outside the schedule.</summary>
    /// <param name="providerName">The provider to check, or <see langword="null"/> for every provider.</param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    /// <returns>The health after the checks.</returns>
    Task<IReadOnlyList<LlmProviderHealth>> CheckNowAsync(string? providerName = null, CancellationToken cancellationToken = default);

    /// <summary>Starts the background checks (the first round runs at once).</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task completed once the schedule is set.</returns>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops the background checks and waits for the running ones to end.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completed once stopped.</returns>
    Task StopAsync(CancellationToken cancellationToken = default);
}
