using Swatop.Core.Ir.Passes;

namespace Swatop.Tests.Ir;

public class BoundaryPassTests
{
    private const string Declarations = "tensor x[100000] in\ntensor y[100000] out\nbuffer b[128]\nbuffer c[64]\nreply r";

    private static string Lower(string body) => IrText.Run(new BoundaryPass(), IrText.Kernel(Declarations, body));

    [Test]
    public void Full_tiles_become_one_direct_transfer()
    {
        var actual = Lower("""
            tile get b[0 +: 128] x[16] rows 16 cols 8 valid 16, 8 strides 1, 64 reply r
            tile get b[0 +: 128] x[16] rows 16 cols 8 valid 16, 8 strides 1, 16 reply r
            tile put b[0 +: 128] y[16] rows 16 cols 8 valid 16, 8 strides 2, 64 reply r
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            get b[0 +: 128] <- x[16] block 16 gap 48 reply r
            get b[0 +: 128] <- x[16] block 0 gap 0 reply r
            for j_b < 8 {
              put b[j_b * 16 +: 16] -> y[16 + j_b * 64] block 1 gap 1 reply r
            }
            """));
    }

    [Test]
    public void Columns_that_overlap_in_memory_move_one_contiguous_transfer_each()
    {
        var actual = Lower("""
            tile get b[0 +: 128] x[16] rows 16 cols 8 valid 16, 8 strides 1, 2 reply r
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            for j_b < 8 {
              get b[j_b * 16 +: 16] <- x[16 + j_b * 2] block 0 gap 0 reply r
            }
            """));
    }

    [Test]
    public void A_tile_whose_valid_corner_is_provably_whole_takes_the_direct_form()
    {
        var actual = Lower("""
            for t < 2 {
              tile get b[0 +: 128] x[t * 16] rows 16 cols 8 valid min(16, 40 - t * 16), 8 strides 1, 64 reply r
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            for t < 2 {
              get b[0 +: 128] <- x[t * 16] block 16 gap 48 reply r
            }
            """));
    }

    [Test]
    public void Partial_tiles_test_at_run_time_and_pad_only_the_border()
    {
        var actual = Lower("""
            for t < 4 {
              tile get b[0 +: 128] x[t * 16] rows 16 cols 8 valid min(16, 40 - t * 16), 8 strides 1, 64 reply r
              tile put c[0 +: 64] y[t * 8] rows 8 cols 8 valid 8, min(8, 20 - t * 8) strides 2, 128 reply r
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            for t < 4 {
              if min(16, 40 - t * 16) == 16 {
                get b[0 +: 128] <- x[t * 16] block 16 gap 48 reply r
              } else {
                fill b[0 +: 128] = 0
                if 0 < min(16, 40 - t * 16) {
                  for j_b < 8 {
                    get b[j_b * 16 +: min(16, 40 - t * 16)] <- x[t * 16 + j_b * 64] block 0 gap 0 reply r
                  }
                }
              }
              if min(8, 20 - t * 8) == 8 {
                for j_c < 8 {
                  put c[j_c * 8 +: 8] -> y[t * 8 + j_c * 128] block 1 gap 1 reply r
                }
              } else {
                for j_c < min(8, 20 - t * 8) {
                  put c[j_c * 8 +: 8] -> y[t * 8 + j_c * 128] block 1 gap 1 reply r
                }
              }
            }
            """));
    }

    [Test]
    public void The_column_variable_does_not_clash_with_names_in_scope()
    {
        var actual = Lower("""
            for j_b < 2 {
              tile get b[0 +: 64] x[j_b * 8] rows 8 cols 8 valid 8, 8 strides 4, 32 reply r
            }
            """);
        IrText.AssertSame(actual, IrText.Kernel(Declarations, """
            for j_b < 2 {
              for j_b1 < 8 {
                get b[j_b1 * 8 +: 8] <- x[j_b * 8 + j_b1 * 32] block 1 gap 3 reply r
              }
            }
            """));
    }
}
