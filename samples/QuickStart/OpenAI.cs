// The OpenAI part of the QuickStart: with OPENAI_API_KEY set, OpenAI (gpt-4o-mini) goes first in the chain.
using System;
using Microsoft.Extensions.DependencyInjection;

/// <content>Registers OpenAI when a key is set.</content>
internal sealed partial class Program
{
    static partial void AddOpenAIIfKeySet(LlmProvidersBuilder llm, ref bool added)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OPENAI_API_KEY")))
        {
            return;
        }

        llm.AddOpenAI("openai", o => o.DefaultModel = "gpt-4o-mini"); // reads the key from OPENAI_API_KEY
        added = true;
    }
}
