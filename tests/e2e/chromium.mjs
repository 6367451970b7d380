// How the tests and the benchmark start Chromium: Debian's own build, never
// a downloaded one, headless, with WebGPU (SwiftShader where there is no
// GPU), and quiet on the network (this machine reaches none). Playwright
// gives the browser a fresh, empty profile of its own. No imports: the
// benchmark (www/bench) has its own node_modules.
export function chromiumLaunchOptions() {
  return {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--enable-unsafe-webgpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
      // A camera for the drawn classes' test: a moving test pattern,
      // allowed without a prompt.
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
    ],
  };
}
