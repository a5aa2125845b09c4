namespace Swatop.Core;

/// <summary>The memory layout of a convolution's activations and weights.</summary>
public enum ConvLayout
{
    /// <summary>Activations <c>[batch][channel][height][width]</c>; weights OIHW, <c>[out][in][kernelHeight][kernelWidth]</c>.</summary>
    Nchw,

    /// <summary>Activations <c>[batch][height][width][channel]</c>; weights OHWI, <c>[out][kernelHeight][kernelWidth][in]</c>.</summary>
    Nhwc,
}
