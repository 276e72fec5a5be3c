using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KernelBench.Harness.Tests.Reports.Html;

/// <summary>
/// What a page did in a real browser: console errors and exceptions, each image's decoded width, a screenshot, the page's
/// scroll width against the window's width (wider means horizontal overflow), and what an optional script returned.
/// </summary>
public sealed record PageLoad(IReadOnlyList<string> ConsoleErrors, IReadOnlyList<(string Alt, int NaturalWidth)> Images, byte[] Screenshot)
{
    public int ScrollWidth { get; init; }
    public int InnerWidth { get; init; }
    public string? Evaluated { get; init; }

    public bool OverflowsHorizontally => ScrollWidth > InnerWidth;
}

/// <summary>
/// Opens a local HTML file in headless Chromium (Debian package `chromium`) and reads it over the DevTools protocol
/// (127.0.0.1 only, a fresh profile per call). Chromium missing is a failure that says how to install it, never a skip.
/// </summary>
public static class ChromiumPage
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string FindBrowser() =>
        Environment.GetEnvironmentVariable("KBH_CHROMIUM") is { Length: > 0 } env ? env
        : Candidates.FirstOrDefault(File.Exists)
          ?? throw new AssertionException("Chromium is not installed: run `apt-get install -y chromium` (or set KBH_CHROMIUM to a Chrome binary).");

    /// <param name="width">The window's width in CSS pixels.</param>
    /// <param name="evaluate">A script run after load (e.g. clicks), whose string result comes back in Evaluated.</param>
    /// <param name="shotScale">Screenshot scale (below 1 keeps the PNG small); its height stops at maxShotHeight CSS pixels.</param>
    public static async Task<PageLoad> LoadAsync(string htmlPath, TimeSpan timeout, int width = 1200, string? evaluate = null,
        double shotScale = 1, int maxShotHeight = 8000)
    {
        using var cts = new CancellationTokenSource(timeout);
        var profile = Directory.CreateTempSubdirectory("kbh-chromium-").FullName;
        var psi = new ProcessStartInfo(FindBrowser())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", $"--window-size={width},900", "--hide-scrollbars", "about:blank",
            },
        };
        using var browser = Process.Start(psi) ?? throw new AssertionException("could not start Chromium");
        _ = browser.StandardError.ReadToEndAsync(cts.Token);
        _ = browser.StandardOutput.ReadToEndAsync(cts.Token);
        try
        {
            var port = await ReadPortAsync(profile, cts.Token);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", cts.Token))!.AsArray();
            var wsUrl = targets.First(t => (string?)t!["type"] == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
            await using var cdp = await CdpSession.ConnectAsync(new Uri(wsUrl), cts.Token);
            await cdp.SendAsync("Runtime.enable", null, cts.Token);
            await cdp.SendAsync("Log.enable", null, cts.Token);
            await cdp.SendAsync("Page.enable", null, cts.Token);
            await cdp.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
            {
                ["width"] = width, ["height"] = 900, ["deviceScaleFactor"] = 1, ["mobile"] = false,
            }, cts.Token);
            var loaded = cdp.WaitForEventAsync("Page.loadEventFired", cts.Token);
            await cdp.SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri }, cts.Token);
            await loaded;
            var images = await cdp.SendAsync("Runtime.evaluate", new JsonObject
            {
                ["expression"] = "JSON.stringify(Array.from(document.images).map(i => [i.alt, i.complete ? i.naturalWidth : 0]))",
                ["returnByValue"] = true,
            }, cts.Token);
            var list = JsonNode.Parse(images["result"]!["value"]!.GetValue<string>())!.AsArray()
                .Select(n => (n![0]!.GetValue<string>(), n[1]!.GetValue<int>())).ToList();
            string? evaluated = null;
            if (evaluate is not null)
            {
                var result = await cdp.SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = evaluate, ["returnByValue"] = true }, cts.Token);
                evaluated = result["result"]?["value"]?.ToString();
            }
            var widths = await cdp.SendAsync("Runtime.evaluate", new JsonObject
            {
                ["expression"] = "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])",
                ["returnByValue"] = true,
            }, cts.Token);
            var w = JsonNode.Parse(widths["result"]!["value"]!.GetValue<string>())!.AsArray();
            var metrics = await cdp.SendAsync("Page.getLayoutMetrics", null, cts.Token);
            var size = metrics["cssContentSize"]!;
            var shot = await cdp.SendAsync("Page.captureScreenshot", new JsonObject
            {
                ["format"] = "png",
                ["captureBeyondViewport"] = true,
                ["clip"] = new JsonObject
                {
                    ["x"] = 0, ["y"] = 0, ["scale"] = shotScale,
                    ["width"] = size["width"]!.GetValue<double>(), ["height"] = Math.Min(size["height"]!.GetValue<double>(), maxShotHeight),
                },
            }, cts.Token);
            return new PageLoad(cdp.Errors.ToList(), list, Convert.FromBase64String(shot["data"]!.GetValue<string>()))
            {
                ScrollWidth = w[0]!.GetValue<int>(), InnerWidth = w[1]!.GetValue<int>(), Evaluated = evaluated,
            };
        }
        finally
        {
            if (!browser.HasExited)
                browser.Kill(entireProcessTree: true);
            await browser.WaitForExitAsync(CancellationToken.None);
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { /* best effort */ }
        }
    }

    // With --remote-debugging-port=0 Chromium picks a free port and writes it to DevToolsActivePort in the profile.
    private static async Task<int> ReadPortAsync(string profile, CancellationToken ct)
    {
        var file = Path.Combine(profile, "DevToolsActivePort");
        while (true)
        {
            if (File.Exists(file) && File.ReadAllLines(file) is [var first, ..] && int.TryParse(first, out var port))
                return port;
            await Task.Delay(50, ct);
        }
    }
}
