using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Swatop.Hardware.SW26010")]
