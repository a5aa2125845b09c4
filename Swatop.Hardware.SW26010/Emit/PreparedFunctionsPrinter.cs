using System.Globalization;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The MPE file's prepare and release functions of a kernel with constant inputs (<see cref="PreparedEntry"/>), and the handle's
/// struct they fill and free. The prepare function checks its arguments as the entry function does, then, for each core group this
/// process drives (its own under MPI, every one without), allocates the group's copy of each packed constant and spawns on the
/// group's CPEs the layout step a plain call packs it with (or calls that step's MPE copy where the step runs on the MPE), and for
/// the constant of a prepared form allocates the group's copy of the form's tensor and spawns the form's transform kernel into
/// it; a constant the kernel reads in the framework's layout is copied into the handle once. The run function is the entry
/// function's printer's (<see cref="HostFilePrinter"/>). C89 (gnu89) like the rest of the file.
/// </summary>
internal static class PreparedFunctionsPrinter
{
    /// <summary>The job's field that points to the handle; the reserved prefix keeps it apart from the tensors' names.</summary>
    public const string JobHandle = "swatop_prepared";

    /// <summary>The handle's field holding the first core group it was prepared for.</summary>
    public const string HandleFirst = "swatop_first";

    /// <summary>The handle's field holding one past the last core group it was prepared for.</summary>
    public const string HandleLast = "swatop_last";

    /// <summary>The handle's struct: the core groups it holds, and each constant's copies with the blocks <c>free</c> takes.</summary>
    public static void Handle(CSourceBuilder c, PreparedEntry prepared, string type)
    {
        var kernel = prepared.Lowered.Kernel;
        c.Line($"/* What {CNames.Prepare(kernel)} returns: the constants where the kernel reads them, for the core groups from {HandleFirst} up to");
        c.Line($"   {HandleLast} (this rank's under MPI, every one without); a group's entries are null for the groups another rank holds. */");
        c.Open($"struct {CNames.PreparedHandle(kernel)}");
        c.Line($"int {HandleFirst}, {HandleLast};");
        foreach (var constant in prepared.Constants)
        {
            var field = prepared.Field(constant.Name);
            if (prepared.IsPerGroup(constant.Name))
            {
                var what = constant.Name == prepared.Form?.Constant ? $"'{constant.Name}' transformed into {field}" : $"'{constant.Name}' packed into the kernel's layout";
                c.Line($"{type} *{field}[CORE_GROUPS]; /* each core group's copy of {what} */");
                c.Line($"void *{field}_base[CORE_GROUPS];");
            }
            else
            {
                c.Line($"{type} *{field}; /* '{constant.Name}' in the framework's layout, which every core group reads */");
                c.Line($"void *{field}_base;");
            }
        }

        c.Close(";");
        c.Line();
    }

    /// <summary>The release function, the function that prepares one core group's copies, and the prepare function.</summary>
    public static void Print(CSourceBuilder c, PreparedEntry prepared, IReadOnlyList<StepKernel> steps, string type)
    {
        Release(c, prepared);
        c.Line();
        var perGroup = prepared.Constants.Where(t => prepared.IsPerGroup(t.Name)).ToList();
        if (perGroup.Count > 0)
        {
            PrepareCoreGroup(c, prepared, steps, type);
            c.Line();
        }

        Prepare(c, prepared, type, perGroup.Count > 0);
    }

    private static void Release(CSourceBuilder c, PreparedEntry prepared)
    {
        var perGroup = prepared.Constants.Where(t => prepared.IsPerGroup(t.Name)).Select(t => prepared.Field(t.Name)).ToList();
        c.Line("/* Frees what the handle holds; a null handle is nothing to free. athread stays initialized: the _halt function ends it. */");
        c.Open(prepared.ReleaseDeclaration());
        if (perGroup.Count > 0)
        {
            c.Line("int g;");
            c.Line();
        }

        c.Open("if (prepared == NULL)");
        c.Line("return;");
        c.Close();
        if (perGroup.Count > 0)
        {
            c.Open("for (g = 0; g < CORE_GROUPS; g++)");
            foreach (var field in perGroup)
            {
                c.Line($"free(prepared->{field}_base[g]);");
            }

            c.Close();
        }

        foreach (var constant in prepared.Constants.Where(t => !prepared.IsPerGroup(t.Name)))
        {
            c.Line($"free(prepared->{prepared.Field(constant.Name)}_base);");
        }

        c.Line("free(prepared);");
        c.Close();
    }

    /// <summary>One core group's copies: each packed constant allocated and packed by its step, the form's constant transformed.</summary>
    private static void PrepareCoreGroup(CSourceBuilder c, PreparedEntry prepared, IReadOnlyList<StepKernel> steps, string type)
    {
        var ic = CultureInfo.InvariantCulture;
        var form = prepared.Form;
        var packs = prepared.Constants.Where(t => t.Name != form?.Constant && prepared.IsPerGroup(t.Name))
            .Select(t => steps.Single(s => s.Packs && s.Step.Tensor.Name == t.Name)).ToList();
        var arguments = prepared.Constants.Select(t => $"const {type} *{t.Name}");
        c.Line("/* Core group cg's copies of the constants, on the core group this MPE drives: each packed constant packed on its 64 CPEs by the");
        c.Line("   layout step a call would pack it with (or its MPE copy), the prepared form's constant transformed by the form's kernel. */");
        c.Open($"static int prepare_core_group({CNames.PreparedHandle(prepared.Lowered.Kernel)} *prepared, {string.Join(", ", arguments)}, long cg)");
        foreach (var step in packs)
        {
            c.Line($"{CNames.ParamsType(step.Kernel)} {step.Local};");
        }

        if (form is not null)
        {
            c.Line($"{CNames.ParamsType(form.Transform)} transform;");
        }

        c.Line();
        foreach (var constant in prepared.Constants.Where(t => !prepared.IsPerGroup(t.Name)))
        {
            c.Line($"(void){constant.Name}; /* copied once, by the prepare function */");
        }

        foreach (var constant in prepared.Constants.Where(t => prepared.IsPerGroup(t.Name)))
        {
            var field = prepared.Field(constant.Name);
            c.Line(string.Create(ic, $"prepared->{field}[cg] = allocate({prepared.CopyElements(constant.Name)}L, &prepared->{field}_base[cg]);"));
            c.Open($"if (prepared->{field}[cg] == NULL)");
            c.Line("return -2;");
            c.Close();
            if (constant.Name == form?.Constant)
            {
                c.Line($"transform.{form.Constant} = ({type} *){constant.Name};");
                c.Line($"transform.{form.Tensor} = prepared->{field}[cg];");
                c.Line("transform.cg = cg;");
                c.Line($"athread_spawn({CNames.CpeFunction(form.Transform)}, &transform);");
                c.Line("athread_join();");
                continue;
            }

            var step = packs.Single(s => s.Step.Tensor.Name == constant.Name);
            c.Line($"{step.Local}.{Core.LayoutSteps.LayoutStepLowering.SourceTensor} = ({type} *){constant.Name};");
            c.Line($"{step.Local}.{Core.LayoutSteps.LayoutStepLowering.DestinationTensor} = prepared->{field}[cg];");
            c.Line($"{step.Local}.cg = cg;");
            if (step.OnMpe)
            {
                c.Line($"{step.HostFunction}({step.Local}.{Core.LayoutSteps.LayoutStepLowering.SourceTensor}, {step.Local}.{Core.LayoutSteps.LayoutStepLowering.DestinationTensor}, cg); /* on the MPE: faster than a spawn */");
            }
            else
            {
                c.Line($"athread_spawn({CNames.CpeFunction(step.Kernel)}, &{step.Local});");
                c.Line("athread_join();");
            }
        }

        c.Line("return 0;");
        c.Close();
    }

    /// <summary>The prepare function: the arguments checked, the handle allocated, each core group's copies made, the status agreed by the ranks.</summary>
    private static void Prepare(CSourceBuilder c, PreparedEntry prepared, string type, bool perGroup)
    {
        var ic = CultureInfo.InvariantCulture;
        var kernel = prepared.Lowered.Kernel;
        var name = CNames.Prepare(kernel);
        var handleType = CNames.PreparedHandle(kernel);
        var constants = prepared.Constants;
        c.Line($"/* Prepares the constants once for the core groups this process drives and returns the handle in *prepared (null on an error).");
        c.Line($"   Under MPI every rank calls it with the same constants. Returns 0, or -1 (a null argument, a wrong length), -2 (out of memory)");
        c.Line("   or -4 (not one MPI rank per core group) after a message on stderr. */");
        c.Open(prepared.PrepareDeclaration());
        MpeEntryPrinter.Declarations(c, constants, pointers: true);
        c.Line($"{handleType} *handle;");
        c.Line(perGroup ? "int t, g, first, last, status = 0;" : "int t, first, last, status = 0;");
        c.Directive($"#ifdef {HostFilePrinter.MpiMacro}");
        c.Line("int rank, ranks, worst;");
        c.Directive("#endif");
        c.Line();
        c.Open("if (prepared == NULL)");
        c.Line($"fprintf(stderr, \"{name}: the address for the handle is null.\\n\");");
        c.Line("return -1;");
        c.Close();
        c.Line("*prepared = NULL;");
        MpeEntryPrinter.Lengths(c, name, constants, pointers: true);
        c.Line();
        MpeEntryPrinter.CoreGroups(c, name);
        MpeEntryPrinter.ClaimCoreGroup(c);
        c.Line();
        c.Line("handle = calloc(1, sizeof *handle);");
        c.Open("if (handle == NULL)");
        c.Line("status = -2;");
        c.Continue("else");
        c.Line($"handle->{HandleFirst} = first;");
        c.Line($"handle->{HandleLast} = last;");
        foreach (var constant in constants.Where(t => !prepared.IsPerGroup(t.Name)))
        {
            var field = prepared.Field(constant.Name);
            c.Line(string.Create(ic, $"handle->{field} = allocate({constant.ElementLength}L, &handle->{field}_base);"));
            c.Line($"if (handle->{field} == NULL) status = -2;");
            c.Line($"else memcpy(handle->{field}, {constant.Name}, (size_t){constant.Name}_elements * sizeof({type}));");
        }

        if (perGroup)
        {
            c.Line($"for (g = first; g < last && status == 0; g++) status = prepare_core_group(handle, {string.Join(", ", constants.Select(t => t.Name))}, g);");
        }

        c.Close();
        MpeEntryPrinter.AgreeStatus(c);
        c.Open("if (status != 0)");
        c.Line($"fprintf(stderr, \"{name}: out of memory for the prepared constants.\\n\");");
        c.Line($"{CNames.Release(kernel)}(handle);");
        c.Line("return status;");
        c.Close();
        c.Line("*prepared = handle;");
        c.Line("return 0;");
        c.Close();
    }
}
