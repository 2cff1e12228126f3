using System.Text;

namespace LlmProviders.Http;

/// <summary>
/// Collects pieces of text (the parts or deltas of an answer) without a <see cref="StringBuilder"/> in the common case of
/// one piece: the first piece is kept as it is, and a builder is created only when a second one arrives.
/// </summary>
public static class TextPieces
{
    /// <summary>Adds a piece; <see langword="null"/> and empty pieces are ignored.</summary>
    /// <param name="only">The only piece so far, or <see langword="null"/> (start with <see langword="null"/>).</param>
    /// <param name="builder">The builder once there are two pieces or more, or <see langword="null"/> (start with <see langword="null"/>).</param>
    /// <param name="piece">The piece to add.</param>
    public static void Append(ref string? only, ref StringBuilder? builder, string? piece)
    {
        if (string.IsNullOrEmpty(piece))
        {
            return;
        }

        if (builder is not null)
        {
            builder.Append(piece);
        }
        else if (only is null)
        {
            only = piece;
        }
        else
        {
            builder = new StringBuilder(only).Append(piece);
            only = null;
        }
    }

    /// <summary>Gets what <see cref="Append"/> collected.</summary>
    /// <param name="only">The only piece.</param>
    /// <param name="builder">The builder.</param>
    /// <returns>The text, or <see langword="null"/> when no piece was added.</returns>
    public static string? Collected(string? only, StringBuilder? builder) => builder?.ToString() ?? only;
}
