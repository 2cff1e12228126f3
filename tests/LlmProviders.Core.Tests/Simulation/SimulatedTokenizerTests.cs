using LlmProviders.Simulation;

namespace LlmProviders.Tests.Simulation;

public class SimulatedTokenizerTests
{
    [TestCase("", 0)]
    [TestCase("   ", 0)]
    [TestCase("Hello", 1)]
    [TestCase("Hello, world!", 4)]
    [TestCase("gpt-4o-mini costs $0.15", 10)]
    [TestCase("naïve café", 2)]
    public void Counts_words_and_punctuation(string text, int expected)
    {
        Assert.That(SimulatedTokenizer.Count(text), Is.EqualTo(expected));
        Assert.That(SimulatedTokenizer.Split(text), Has.Count.EqualTo(expected));
    }

    [TestCase("Hello, world!")]
    [TestCase("  leading and trailing  ")]
    [TestCase("line one\nline two\n")]
    [TestCase("emoji 😀 pair")]
    public void Tokens_concatenate_back_to_the_text(string text)
    {
        Assert.That(string.Concat(SimulatedTokenizer.Split(text)), Is.EqualTo(text));
    }

    [Test]
    public void Whitespace_belongs_to_the_next_token()
    {
        Assert.That(SimulatedTokenizer.Split("Hello, world!"), Is.EqualTo(new[] { "Hello", ",", " world", "!" }));
    }
}
