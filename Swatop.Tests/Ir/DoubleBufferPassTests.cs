using Swatop.Core.Ir;
using Swatop.Core.Ir.Passes;

namespace Swatop.Tests.Ir;

public class DoubleBufferPassTests
{
    private const string Declarations = "tensor x[100000] in\nbuffer a[64] double\nbuffer c[4]\nreply r";

    [Test]
    public void The_convolution_prefetches_its_input_and_weights_across_loop_boundaries()
    {
        var actual = IrText.Run(new DoubleBufferPass(), IrText.Convolution);
        IrText.AssertSame(actual, """
            kernel conv float32
            tensor input[41472] in
            tensor weights[2400] in
            tensor output[25088] out
            buffer a[128] x2
            buffer w[96] x2
            buffer c[256]
            reply ri
            reply rw
            reply rc
            body {
              reset rw
              for kc < 3 {
                get w[kc * 32 +: 32] <- weights[kc * 256 + col * 32] block 8 gap 24 reply rw
              }
              reset ri
              get a[0 +: 128] <- input[row * 16] block 16 gap 112 reply ri
              wait rw
              wait ri
              for band < 2 {
                let width = min(4, 7 - band * 4) {
                  for ro < 3 {
                    fill c[0 +: width * 64] = 0
                    for kr < 3 {
                      if kr + 1 < 3 {
                        reset rw
                        for kc < 3 {
                          get w.next[kc * 32 +: 32] <- weights[((kr + 1) * 3 + kc) * 256 + col * 32] block 8 gap 24 reply rw
                        }
                      } else {
                        if ro + 1 < 3 {
                          reset rw
                          for kc < 3 {
                            get w.next[kc * 32 +: 32] <- weights[kc * 256 + col * 32] block 8 gap 24 reply rw
                          }
                        } else {
                          if band + 1 < 2 {
                            reset rw
                            for kc < 3 {
                              get w.next[kc * 32 +: 32] <- weights[kc * 256 + col * 32] block 8 gap 24 reply rw
                            }
                          }
                        }
                      }
                      for i < width + 2 {
                        if i + 1 < width + 2 {
                          reset ri
                          get a.next[0 +: 128] <- input[((ro + kr) * 9 + band * 4 + (i + 1)) * 512 + row * 16] block 16 gap 112 reply ri
                        } else {
                          if kr + 1 < 3 {
                            reset ri
                            get a.next[0 +: 128] <- input[((ro + (kr + 1)) * 9 + band * 4) * 512 + row * 16] block 16 gap 112 reply ri
                          } else {
                            if ro + 1 < 3 {
                              reset ri
                              get a.next[0 +: 128] <- input[((ro + 1) * 9 + band * 4) * 512 + row * 16] block 16 gap 112 reply ri
                            } else {
                              if band + 1 < 2 {
                                reset ri
                                get a.next[0 +: 128] <- input[(band + 1) * 4 * 512 + row * 16] block 16 gap 112 reply ri
                              }
                            }
                          }
                        }
                        for kc < 3 {
                          if 0 <= i - kc && i - kc < width {
                            gemm m=128 n=32 k=64 a=a[0 +: 128] b=w[kc * 32 +: 32] c=c[(i - kc) * 64 +: 64]
                          }
                        }
                        if i + 1 < width + 2 || kr + 1 < 3 || ro + 1 < 3 || band + 1 < 2 {
                          wait ri
                          swap a
                        }
                      }
                      if kr + 1 < 3 || ro + 1 < 3 || band + 1 < 2 {
                        wait rw
                        swap w
                      }
                    }
                    for co < width {
                      reset rc
                      put c[co * 64 +: 64] -> output[(ro * 7 + band * 4 + co) * 512] block 16 gap 112 reply rc
                      wait rc
                    }
                  }
                }
              }
            }
            """);
    }

    [Test]
    public void Lets_between_the_loops_are_evaluated_for_the_next_iteration()
    {
        var actual = IrText.Run(new DoubleBufferPass(), IrText.Kernel(Declarations, """
            for t < 3 {
              let base = t * 640 + 8 {
                for i < 2 {
                  reset r
                  get a[0 +: 64] <- x[base + i * 64] block 0 gap 0 reply r
                  wait r
                  fill c[0 +: 1] = 0
                }
              }
            }
            """));
        IrText.AssertSame(actual, IrText.Kernel(Declarations.Replace(" double", " x2", StringComparison.Ordinal), """
            reset r
            get a[0 +: 64] <- x[8] block 0 gap 0 reply r
            wait r
            for t < 3 {
              let base = t * 640 + 8 {
                for i < 2 {
                  if i + 1 < 2 {
                    reset r
                    get a.next[0 +: 64] <- x[base + (i + 1) * 64] block 0 gap 0 reply r
                  } else {
                    if t + 1 < 3 {
                      reset r
                      get a.next[0 +: 64] <- x[(t + 1) * 640 + 8] block 0 gap 0 reply r
                    }
                  }
                  fill c[0 +: 1] = 0
                  if i + 1 < 2 || t + 1 < 3 {
                    wait r
                    swap a
                  }
                }
              }
            }
            """));
    }

    [Test]
    public void A_group_at_the_start_of_a_let_body_after_an_output_fill_is_prefetched()
    {
        var actual = IrText.Run(new DoubleBufferPass(), IrText.Kernel(Declarations, """
            for t < 3 {
              let base = t * 64 {
                fill c[0 +: 1] = 0
                reset r
                get a[0 +: 64] <- x[base] block 0 gap 0 reply r
                wait r
              }
            }
            """));
        IrText.AssertSame(actual, IrText.Kernel(Declarations.Replace(" double", " x2", StringComparison.Ordinal), """
            reset r
            get a[0 +: 64] <- x[0] block 0 gap 0 reply r
            wait r
            for t < 3 {
              let base = t * 64 {
                fill c[0 +: 1] = 0
                if t + 1 < 3 {
                  reset r
                  get a.next[0 +: 64] <- x[(t + 1) * 64] block 0 gap 0 reply r
                }
                if t + 1 < 3 {
                  wait r
                  swap a
                }
              }
            }
            """));
    }

    [Test]
    public void A_group_outside_every_loop_runs_once_and_stays_as_it_is()
    {
        var body = """
            reset r
            for i < 2 {
              get a[i * 32 +: 32] <- x[i * 32] block 0 gap 0 reply r
            }
            wait r
            for t < 3 {
              fill c[0 +: 1] = 0
            }
            """;
        var actual = IrText.Run(new DoubleBufferPass(), IrText.Kernel(Declarations, body));
        IrText.AssertSame(actual, IrText.Kernel(Declarations.Replace(" double", " x2", StringComparison.Ordinal), body));
    }

    [Test]
    public void A_second_run_changes_nothing()
    {
        var once = new DoubleBufferPass().Run(IrParser.ParseKernel(IrText.Convolution), IrText.Context);
        Assert.That(new DoubleBufferPass().Run(once, IrText.Context), Is.SameAs(once));
    }

    [Test]
    public void Kernels_without_double_buffers_are_left_alone()
    {
        var kernel = IrParser.ParseKernel(IrText.Convolution.Replace(" double", "", StringComparison.Ordinal));
        Assert.That(new DoubleBufferPass().Run(kernel, IrText.Context), Is.SameAs(kernel));
    }

    [Test]
    public void A_double_buffer_written_outside_a_leading_get_group_is_rejected()
    {
        var text = IrText.Kernel("tensor x[4096] in\nbuffer a[64] double\nreply r", """
            for i < 4 {
              fill a[0 +: 64] = 0
            }
            """);
        var e = Assert.Throws<IrException>(() => new DoubleBufferPass().Run(IrParser.ParseKernel(text), IrText.Context));
        Assert.That(e.Id, Is.EqualTo(IrDiagnostics.DoubleBufferShape));
        Assert.That(e.Message, Does.Contain("fill a[0 +: 64] = 0").And.Contain("'a'"));
    }

    [Test]
    public void A_loop_that_may_not_run_cannot_carry_a_prefetch()
    {
        var text = IrText.Kernel("tensor x[4096] in\nbuffer a[64] double\nreply r", """
            for i < cg {
              reset r
              get a[0 +: 64] <- x[i * 64] block 0 gap 0 reply r
              wait r
            }
            """);
        var e = Assert.Throws<IrException>(() => new DoubleBufferPass().Run(IrParser.ParseKernel(text), IrText.Context));
        Assert.That(e.Id, Is.EqualTo(IrDiagnostics.DoubleBufferShape));
        Assert.That(e.Message, Does.Contain("loop over 'i'"));
    }
}
