using System;
using System.Collections.Generic;

namespace LlmProviders.Testing.Conformance;

/// <summary>
/// Mutates response bodies for fuzz tests (SPEC R3): truncations, byte flips, inserted garbage (invalid UTF-8 and JSON/SSE
/// structure characters), deleted and duplicated ranges. Deterministic for a given <see cref="Random"/>.
/// </summary>
public static class BodyMutator
{
    private static readonly byte[] Structural = "{}[]\":,\n\r\\ 0e-.tfn"u8.ToArray();
    private static readonly byte[][] Fragments =
    [
        "data: "u8.ToArray(), "\n\n"u8.ToArray(), "[DONE]"u8.ToArray(), "null"u8.ToArray(), "\"\\u"u8.ToArray(), "\"\\uD800\""u8.ToArray(),
        [0xC3], [0xFF, 0xFE], [0xF0, 0x9F, 0x91], [0xE4, 0xBD], "1e999"u8.ToArray(), "-0.5"u8.ToArray(), "99999999999999999999"u8.ToArray(),
        ": comment\n"u8.ToArray(), "event: error\n"u8.ToArray(), "{\"error\":{}}"u8.ToArray(), "\"choices\":[]"u8.ToArray(), "<html>"u8.ToArray(),
    ];

    /// <summary>Returns a mutated copy of <paramref name="body"/> (one to three mutations).</summary>
    /// <param name="body">The original body.</param>
    /// <param name="random">The source of randomness.</param>
    /// <returns>The mutated body.</returns>
    public static byte[] Mutate(byte[] body, Random random)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(random);
        var bytes = new List<byte>(body);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            MutateOnce(bytes, random);
        }

        return bytes.ToArray();
    }

    private static void MutateOnce(List<byte> bytes, Random random)
    {
        int Position() => bytes.Count == 0 ? 0 : random.Next(0, bytes.Count);
        switch (random.Next(0, 7))
        {
            case 0: // truncate
                if (bytes.Count > 0)
                {
                    int at = Position();
                    bytes.RemoveRange(at, bytes.Count - at);
                }

                break;

            case 1: // flip bits of a few bytes
                for (int i = random.Next(1, 4); i > 0 && bytes.Count > 0; i--)
                {
                    int at = Position();
                    bytes[at] ^= (byte)random.Next(1, 256);
                }

                break;

            case 2: // insert random garbage
            {
                int at = Position();
                var garbage = new byte[random.Next(1, 9)];
                random.NextBytes(garbage);
                bytes.InsertRange(at, garbage);
                break;
            }

            case 3: // delete a range
                if (bytes.Count > 0)
                {
                    int at = Position();
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)));
                }

                break;

            case 4: // duplicate a range
                if (bytes.Count > 0)
                {
                    int at = Position();
                    int length = Math.Min(bytes.Count - at, random.Next(1, 80));
                    bytes.InsertRange(Position(), bytes.GetRange(at, length));
                }

                break;

            case 5: // replace a byte with a structural character
                if (bytes.Count > 0)
                {
                    bytes[Position()] = Structural[random.Next(Structural.Length)];
                }

                break;

            default: // insert a meaningful fragment
                bytes.InsertRange(Position(), Fragments[random.Next(Fragments.Length)]);
                break;
        }
    }
}
