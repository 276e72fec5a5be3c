using System.Text.RegularExpressions;

namespace KernelBench.Harness.Scoring.Validators;

/// <summary>
/// KernelBench's current static checker (`validate_kernel_static` in its kernel_static_checker.py), its rules
/// re-implemented for the `kernelbench-static` policy: the same patterns over the same text (each line cut at its first
/// `#` or `//`, strings included, as KernelBench cuts them), the same error and warning groups and the same backend
/// checks. Its errors reject and its warnings flag; each finding names the line its first match is on.
/// </summary>
public static partial class KernelBenchStaticChecker
{
    /// <summary>One check that fired: its KernelBench name, its message and the line of its first match.</summary>
    public sealed record Issue(string Check, string Message, int Line);

    public sealed record Result(IReadOnlyList<Issue> Errors, IReadOnlyList<Issue> Warnings)
    {
        public bool Valid => Errors.Count == 0;
    }

    /// <summary>KernelBench's default errors; the backend's own check joins them.</summary>
    public static readonly IReadOnlyList<string> StrictChecks = ["code_bypass", "timing_event_patch", "thread_injection", "lazy_eval"];

    /// <summary>KernelBench's default warnings.</summary>
    public static readonly IReadOnlyList<string> WarningChecks = ["pytorch_wrap", "torch_computation_ops", "stream_injection", "precision_downgrade"];

    private static readonly Dictionary<string, string> BackendCheck = new()
    {
        ["cuda"] = "cuda_impl", ["hip"] = "hip_impl", ["triton"] = "triton_impl", ["thunderkittens"] = "tk_impl",
        ["cute"] = "cute_impl", ["cutlass"] = "cute_impl", ["tilelang"] = "tilelang_impl",
    };

    /// <summary>
    /// The checker on <paramref name="code"/>. Precision is compared case-insensitively, float32 meaning fp32; only
    /// fp32 looks for downgrades. <paramref name="forbidden"/>/<paramref name="warnings"/> replace the default groups;
    /// names it does not know are ignored, as KernelBench ignores them.
    /// </summary>
    public static Result Validate(string code, string backend = "cuda", string precision = "fp16",
                                  IEnumerable<string>? forbidden = null, IEnumerable<string>? warnings = null)
    {
        var errorChecks = (forbidden ?? StrictChecks).ToList();
        var warningChecks = (warnings ?? WarningChecks).ToList();
        if (BackendCheck.TryGetValue(backend, out var impl) && !errorChecks.Contains(impl))
            errorChecks.Add(impl);
        var text = StripComments(code);
        var errors = new List<Issue>();
        var found = new List<Issue>();
        foreach (var check in errorChecks.Concat(warningChecks).Distinct())
        {
            if (Run(check, text, precision) is not { } hit)
                continue;
            (errorChecks.Contains(check) ? errors : found).Add(new Issue(check, hit.Message, LineOf(text, hit.Index)));
        }
        return new Result(errors, found);
    }

    // Each line cut at its first '#', then at its first '//': KernelBench's way, which also cuts strings.
    private static string StripComments(string code) => string.Join('\n', code.Split('\n').Select(line =>
    {
        if (line.IndexOf('#') is var hash and >= 0)
            line = line[..hash];
        if (line.IndexOf("//", StringComparison.Ordinal) is var slashes and >= 0)
            line = line[..slashes];
        return line;
    }));

    private static int LineOf(string text, int index) => index < 0 ? 1 : text.AsSpan(0, index).Count('\n') + 1;

    private sealed record Hit(string Message, int Index);

    private static Hit? Run(string check, string code, string precision) => check switch
    {
        "code_bypass" => First(code, TryExcept(), "Contains try-except block (potential fallback bypass)")
                         ?? First(code, Pass(), "Contains 'pass' statement (inheritance bypass)"),
        "pytorch_wrap" => First(code, NnLayer(), "Uses torch.nn compute layer (only containers, Parameter, init allowed)"),
        "torch_computation_ops" => TorchOp(code),
        "stream_injection" => Stream(code),
        "thread_injection" => Thread(code),
        "lazy_eval" => First(code, MakeSubclass(), "Uses _make_subclass (potential lazy tensor hack)")
                       ?? First(code, TensorSubclass(), "Defines custom tensor subclass (potential lazy tensor hack)")
                       ?? First(code, TensorNew(), "Uses direct tensor construction (potential lazy tensor hack)"),
        "timing_event_patch" => First(code, TimingPatch(), "Reassigns timing function (monkey patch detected)"),
        "precision_downgrade" => NormalPrecision(precision) == "fp32"
            ? First(code, HalfCast(), "Precision downgrade detected: required FP32 but code uses FP16") : null,
        "cuda_impl" => Impl(code, false),
        "hip_impl" => Impl(code, true),
        "triton_impl" => !TritonJit().IsMatch(code) ? new Hit("Missing @triton.jit or @triton.autotune", -1)
            : !TritonOps().IsMatch(code) ? new Hit("No tl.* operations found in Triton kernel", -1) : null,
        "tk_impl" => !TkWarp().IsMatch(code) ? new Hit("Missing ThunderKittens warp/warpgroup patterns", -1)
            : !TkTile().IsMatch(code) ? new Hit("Missing ThunderKittens tile declarations (st_*/rt_*)", -1) : null,
        "cute_impl" => code.Contains("cute::") || code.Contains("cutlass::") || code.Contains("from cutlass") ? null
            : new Hit("Missing cute:: or cutlass:: namespace", -1),
        "tilelang_impl" => TileLang().IsMatch(code) ? null : new Hit("Missing @T.prim_func decorator", -1),
        _ => null,
    };

    private static string NormalPrecision(string precision) => precision.ToLowerInvariant() switch
    {
        "float32" => "fp32",
        "bfloat16" => "bf16",
        var p => p,
    };

    private static Hit? First(string code, Regex pattern, string message) =>
        pattern.Match(code) is { Success: true } m ? new Hit(message, m.Index) : null;

    private static Hit? Impl(string code, bool hip)
    {
        if (!code.Contains("__global__"))
            return new Hit("Missing __global__ kernel definition", -1);
        if (!code.Contains("load_inline") && !code.Contains("cpp_extension"))
            return new Hit("Missing load_inline or cpp_extension for compilation", -1);
        return hip && !code.Contains("hipcc") ? new Hit("Missing hipcc compiler", -1) : null;
    }

    private static Hit? TorchOp(string code)
    {
        if (TorchOps().Match(code) is { Success: true } op)
            return new Hit($"Uses torch computation op: {op.Value}", op.Index);
        foreach (var pattern in new[] { FunctionalFull(), FunctionalShort(), FunctionalF() })
            if (pattern.Match(code) is { Success: true } f)
                return new Hit($"Uses torch.nn.functional op: {f.Value}", f.Index);
        return null;
    }

    private static Hit? Stream(string code) =>
        First(code, StreamCreate(), "Uses CUDA streams (potential timing manipulation)")
        ?? First(code, StreamContext(), "Uses stream context manager (potential timing manipulation)")
        ?? First(code, StreamSync(), "Uses stream synchronization (potential timing manipulation)");

    private static Hit? Thread(string code) =>
        First(code, Threading(), "Uses threading (potential timing manipulation)")
        ?? First(code, Multiprocessing(), "Uses multiprocessing (potential timing manipulation)")
        ?? First(code, Futures(), "Uses concurrent futures (potential timing manipulation)");

    [GeneratedRegex(@"\btry\s*:|\bexcept\s*:|\bexcept\s+\w+")]
    private static partial Regex TryExcept();

    [GeneratedRegex(@"\bpass\b")]
    private static partial Regex Pass();

    [GeneratedRegex(@"torch\.nn\.(?!(Module|parameter|Parameter|ParameterList|ParameterDict|ModuleList|ModuleDict|init)\b)")]
    private static partial Regex NnLayer();

    // KernelBench's list of torch.* computation ops, each followed by "(", whitespace or the end of the text.
    [GeneratedRegex(@"\b(torch\.mm|torch\.bmm|torch\.matmul|torch\.einsum|torch\.conv1d|torch\.conv2d|torch\.conv3d|torch\.conv" +
                    @"|torch\.conv_transpose1d|torch\.conv_transpose2d|torch\.conv_transpose3d" +
                    @"|torch\.avg_pool1d|torch\.avg_pool2d|torch\.avg_pool3d|torch\.max_pool1d|torch\.max_pool2d|torch\.max_pool3d" +
                    @"|torch\.adaptive_avg_pool1d|torch\.adaptive_avg_pool2d|torch\.adaptive_avg_pool3d" +
                    @"|torch\.adaptive_max_pool1d|torch\.adaptive_max_pool2d|torch\.adaptive_max_pool3d" +
                    @"|torch\.relu|torch\.hardtanh|torch\.elu|torch\.selu|torch\.leaky_relu|torch\.gelu|torch\.softsign|torch\.softplus" +
                    @"|torch\.softmax|torch\.log_softmax|torch\.tanh|torch\.sigmoid|torch\.hardsigmoid|torch\.silu|torch\.mish" +
                    @"|torch\.batch_norm|torch\.group_norm|torch\.layer_norm|torch\.instance_norm|torch\.rms_norm|torch\.normalize" +
                    @"|torch\.linear|torch\.cross_entropy|torch\.kl_div|torch\.mse_loss|torch\.huber_loss|torch\.triplet_margin_loss" +
                    @"|torch\.cosine_similarity|torch\.logsumexp|torch\.clamp|torch\.dropout)(?=\s*\(|\s|$)")]
    private static partial Regex TorchOps();

    [GeneratedRegex(@"torch\.nn\.functional\.\w+")]
    private static partial Regex FunctionalFull();

    [GeneratedRegex(@"\bnn\.functional\.\w+")]
    private static partial Regex FunctionalShort();

    [GeneratedRegex(@"\bF\.(conv|linear|relu|gelu|softmax|batch_norm|layer_norm|dropout|max_pool|avg_pool)")]
    private static partial Regex FunctionalF();

    [GeneratedRegex(@"torch\.cuda\.Stream\s*\(|cuda\.Stream\s*\(")]
    private static partial Regex StreamCreate();

    [GeneratedRegex(@"with\s+torch\.cuda\.stream")]
    private static partial Regex StreamContext();

    [GeneratedRegex(@"\.wait_stream\s*\(|\.record_stream\s*\(")]
    private static partial Regex StreamSync();

    [GeneratedRegex(@"threading\.Thread\s*\(|import\s+threading|from\s+threading\s+import")]
    private static partial Regex Threading();

    [GeneratedRegex(@"multiprocessing\.(Process|Pool|Manager|Queue|Pipe)|import\s+multiprocessing")]
    private static partial Regex Multiprocessing();

    [GeneratedRegex(@"concurrent\.futures|ThreadPoolExecutor|ProcessPoolExecutor")]
    private static partial Regex Futures();

    [GeneratedRegex(@"_make_subclass")]
    private static partial Regex MakeSubclass();

    [GeneratedRegex(@"class\s+\w+.*\(torch\.Tensor\)|class\s+\w+.*\(Tensor\)")]
    private static partial Regex TensorSubclass();

    [GeneratedRegex(@"torch\.Tensor\.__new__")]
    private static partial Regex TensorNew();

    [GeneratedRegex(@"torch\.cuda\.Event\.record\s*=|torch\.cuda\.Event\.elapsed_time\s*=|torch\.cuda\.synchronize\s*=" +
                    @"|torch\.cuda\.Event\s*=|time\.perf_counter\s*=|time\.time\s*=")]
    private static partial Regex TimingPatch();

    [GeneratedRegex(@"__float2half(_rn)?\s*\(|\(\s*__half\s*\)\s*[\w\->\.]+|static_cast\s*<\s*(__half|half)\s*>\s*\(" +
                    @"|tl\.astype\s*\(\s*[^,]+,\s*tl\.float16\s*\)|NumericConverter\s*<\s*half_t\s*,\s*float\s*>" +
                    @"|LinearCombination\s*<\s*half_t|type_convert\s*<\s*half_t\s*>\s*\(|tk::half\s*\(" +
                    @"|\.half\s*\(|\.float16\s*\(|\.to\s*\(\s*torch\.(float16|half)\b|\.to\s*\(\s*dtype\s*=\s*torch\.(float16|half)\b")]
    private static partial Regex HalfCast();

    [GeneratedRegex(@"@triton\.(jit|autotune)")]
    private static partial Regex TritonJit();

    [GeneratedRegex(@"\btl\.\w+")]
    private static partial Regex TritonOps();

    [GeneratedRegex(@"kittens::warp\b|kittens::warpgroup\b|::warpgroup::|::warp::|warpgroup::|warp::")]
    private static partial Regex TkWarp();

    [GeneratedRegex(@"(?:kittens::)?(?:st|rt)_\w+\s*<[^>]+>")]
    private static partial Regex TkTile();

    [GeneratedRegex(@"@T\.prim_func")]
    private static partial Regex TileLang();
}
