using System;
using System.Diagnostics.CodeAnalysis;

namespace LlmProviders.Configuration;

/// <summary>
/// Declares, on a provider package's assembly, the configuration binder of one or more provider types: with it,
/// <c>AddLlmProviders(configuration.GetSection("LlmProviders"))</c> registers a provider whose <c>Type</c> is one of
/// <see cref="Types"/> through <see cref="BinderType"/>, without Core knowing the package.
/// </summary>
/// <example><c>[assembly: LlmProviderConfiguration(typeof(OpenAIConfigurationBinder), "openai")]</c></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class LlmProviderConfigurationAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="LlmProviderConfigurationAttribute"/> class.</summary>
    /// <param name="binderType">A public type with a public parameterless constructor implementing <see cref="ILlmProviderConfigurationBinder"/>.</param>
    /// <param name="types">The provider types it binds (matched ignoring case, <c>_</c> and <c>-</c>), e.g. <c>"azure_openai"</c>.</param>
    public LlmProviderConfigurationAttribute(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type binderType,
        params string[] types)
    {
        BinderType = binderType;
        Types = types;
    }

    /// <summary>Gets the binder type.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type BinderType { get; }

    /// <summary>Gets the provider types the binder binds.</summary>
    public string[] Types { get; }
}
