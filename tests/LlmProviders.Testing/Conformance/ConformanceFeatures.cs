using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;

namespace LlmProviders.Testing.Conformance;

/// <summary>An optional feature of a provider's API that some conformance tests exercise.</summary>
public enum ConformanceFeature
{
    /// <summary>A refusal field (OpenAI <c>refusal</c>, Anthropic's <c>refusal</c> stop reason), whole and streamed.</summary>
    Refusal,

    /// <summary>Reasoning text apart from the answer, whole and streamed.</summary>
    Reasoning,

    /// <summary>A content-filter stop on an otherwise successful answer.</summary>
    ContentFilter,
}

/// <summary>
/// Declares, on a provider's conformance fixture, the optional features its API does not have: the fixture then has no
/// tests for them (rather than tests that end inconclusive or pass without asserting anything).
/// </summary>
/// <param name="features">The features the provider's API lacks.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ProviderLacksAttribute(params ConformanceFeature[] features) : Attribute
{
    /// <summary>Gets the features the provider's API lacks.</summary>
    public IReadOnlyList<ConformanceFeature> Features { get; } = features;
}

/// <summary>Marks a conformance test that exercises an optional feature.</summary>
/// <param name="feature">The feature.</param>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RequiresFeatureAttribute(ConformanceFeature feature) : Attribute
{
    public ConformanceFeature Feature { get; } = feature;
}

/// <summary>
/// Builds a conformance fixture like <see cref="TestFixtureAttribute"/>, then leaves out the tests of the features the
/// concrete fixture declares it lacks with <see cref="ProviderLacksAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
internal sealed class ConformanceFixtureAttribute : NUnitAttribute, IFixtureBuilder
{
    private readonly NUnitTestFixtureBuilder _builder = new();

    public IEnumerable<TestSuite> BuildFrom(ITypeInfo typeInfo)
    {
        var lacking = typeInfo.Type.GetCustomAttributes<ProviderLacksAttribute>(inherit: true).SelectMany(a => a.Features).ToHashSet();
        var suite = _builder.BuildFrom(typeInfo, AllTests.Instance);
        for (int i = suite.Tests.Count - 1; i >= 0; i--)
        {
            if (suite.Tests[i] is Test { Method: { } method } &&
                method.GetCustomAttributes<RequiresFeatureAttribute>(inherit: true).Any(a => lacking.Contains(a.Feature)))
            {
                suite.Tests.RemoveAt(i);
            }
        }

        yield return suite;
    }

    private sealed class AllTests : IPreFilter
    {
        public static readonly AllTests Instance = new();

        public bool IsMatch(Type type) => true;

        public bool IsMatch(Type type, MethodInfo method) => true;
    }
}
