using System.Text;
using LlmProviders.Http;

namespace LlmProviders.Tests.Http;

[TestFixture]
public sealed class TextPiecesTests
{
    [Test]
    public void Nothing_added_collects_null()
    {
        string? only = null;
        StringBuilder? builder = null;
        TextPieces.Append(ref only, ref builder, null);
        TextPieces.Append(ref only, ref builder, string.Empty);
        Assert.That(TextPieces.Collected(only, builder), Is.Null);
    }

    [Test]
    public void One_piece_is_kept_as_it_is_without_a_builder()
    {
        string? only = null;
        StringBuilder? builder = null;
        var piece = new string('x', 3);
        TextPieces.Append(ref only, ref builder, piece);
        Assert.That(builder, Is.Null);
        Assert.That(TextPieces.Collected(only, builder), Is.SameAs(piece));
    }

    [Test]
    public void Several_pieces_are_joined_in_order()
    {
        string? only = null;
        StringBuilder? builder = null;
        TextPieces.Append(ref only, ref builder, "a");
        TextPieces.Append(ref only, ref builder, "");
        TextPieces.Append(ref only, ref builder, "b");
        TextPieces.Append(ref only, ref builder, "c");
        Assert.That(builder, Is.Not.Null);
        Assert.That(only, Is.Null);
        Assert.That(TextPieces.Collected(only, builder), Is.EqualTo("abc"));
    }
}
