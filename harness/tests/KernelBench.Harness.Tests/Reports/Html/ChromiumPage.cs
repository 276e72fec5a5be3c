using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KernelBench.Harness.Tests.Reports.Html;

/// <summary>What a page did in a real browser: console errors and exceptions, each image's decoded width, a screenshot.</summary>
public sealed record PageLoad(IReadOnlyList<string> ConsoleErrors, IReadOnlyList<(string Alt, int NaturalWidth)> Images, byte[] Screenshot);

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

    public static async Task<PageLoad> LoadAsync(string htmlPath, TimeSpan timeout)
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
                "--remote-debugging-port=0", "--window-size=1200,900", "about:blank",
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
            var metrics = await cdp.SendAsync("Page.getLayoutMetrics", null, cts.Token);
            var size = metrics["cssContentSize"]!;
            var shot = await cdp.SendAsync("Page.captureScreenshot", new JsonObject
            {
                ["format"] = "png",
                ["captureBeyondViewport"] = true,
                ["clip"] = new JsonObject
                {
                    ["x"] = 0, ["y"] = 0, ["scale"] = 1,
                    ["width"] = size["width"]!.GetValue<double>(), ["height"] = Math.Min(size["height"]!.GetValue<double>(), 8000),
                },
            }, cts.Token);
            return new PageLoad(cdp.Errors.ToList(), list, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
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
