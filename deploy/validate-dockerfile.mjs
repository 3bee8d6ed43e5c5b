// Static check of the Dockerfile (no container engine runs here: docs/install.md says why):
// dockerfile-utils' validator (syntax, instruction arguments), then the image's contract from
// issue 17: a Debian 12 builder, a debian:12-slim runtime stage that gets only the .deb (so only
// its runtime libraries), a non-root USER matching the Kubernetes runAsUser, ENTRYPOINT llmbench,
// and COPY sources that exist and that .dockerignore does not drop. Exit 1 on any finding.
//   node deploy/validate-dockerfile.mjs [REPO_ROOT]
import { existsSync, readFileSync } from "node:fs";
import { DockerfileParser } from "dockerfile-ast";
import { validate } from "dockerfile-utils";

const root = process.argv[2] ?? new URL("..", import.meta.url).pathname;
const text = readFileSync(`${root}/Dockerfile`, "utf8");
const problems = [];
const fail = (what) => problems.push(`Dockerfile: ${what}`);

for (const d of validate(text)) {
  // Severity 1 = error, 2 = warning: both fail, a Dockerfile this small has no excuse.
  fail(`line ${d.range.start.line + 1}: ${d.message}`);
}

const dockerfile = DockerfileParser.parse(text);
const froms = dockerfile.getFROMs();
const stages = [];
for (const i of dockerfile.getInstructions()) {
  if (i.getKeyword() === "FROM") stages.push({ from: i, body: [] });
  else stages.at(-1)?.body.push(i);
}
if (froms.length !== 2) fail(`expected two stages (builder, runtime), found ${froms.length}`);
const [builder, runtime] = stages;
if (builder?.from.getImage() !== "debian:12" || builder.from.getBuildStage() !== "builder")
  fail(`the first stage must be 'FROM debian:12 AS builder', is 'FROM ${builder?.from.getArgumentsContent()}'`);
if (runtime?.from.getImage() !== "debian:12-slim") fail(`the runtime stage must be FROM debian:12-slim, is ${runtime?.from.getImage()}`);

const last = (stage, keyword) => stage?.body.filter((i) => i.getKeyword() === keyword).at(-1);
const user = last(runtime, "USER")?.getArgumentsContent() ?? "";
const uid = user.split(":")[0];
if (!uid || uid === "root" || uid === "0") fail(`the runtime stage must end as a non-root USER, is '${user || "root"}'`);
const job = readFileSync(`${root}/deploy/kubernetes/base/job.yaml`, "utf8");
const runAs = /runAsUser:\s*(\d+)/.exec(job)?.[1];
if (runAs !== uid) fail(`USER ${uid} differs from runAsUser ${runAs} in deploy/kubernetes/base/job.yaml`);
const entrypoint = last(runtime, "ENTRYPOINT")?.getArgumentsContent() ?? "";
if (entrypoint.replace(/\s/g, "") !== '["llmbench"]') fail(`ENTRYPOINT must be ["llmbench"] (exec form), is ${entrypoint}`);

// Runtime stage: nothing but the builder's .deb and ca-certificates, no build tools.
for (const i of runtime?.body ?? []) {
  const args = i.getArgumentsContent() ?? "";
  const fromBuilder = i.getKeyword() === "COPY" && i.getFlags().some((f) => f.getName() === "from" && f.getValue() === "builder");
  if (i.getKeyword() === "COPY" && !fromBuilder) fail(`the runtime stage copies from the build context: COPY ${args}`);
  if (i.getKeyword() === "RUN" && /(?<![\w.+-])(build-essential|cmake|ninja-build|g\+\+|gcc|clang|[a-z0-9.+-]+-dev)(?![\w.+-])/.test(args))
    fail(`the runtime stage installs build tools: ${args.replace(/\s+/g, " ")}`);
}
if (!(runtime?.body ?? []).some((i) => i.getKeyword() === "RUN" && /apt-get install[^&]*\/tmp\/llmbench\.deb/.test(i.getArgumentsContent())))
  fail("the runtime stage must install the builder's .deb (its Depends are the runtime libraries)");

// Build context: the COPY sources exist, and .dockerignore keeps what the build needs.
const ignored = readFileSync(`${root}/.dockerignore`, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
for (const i of builder?.body ?? []) {
  if (i.getKeyword() !== "COPY") continue;
  const [src] = i.getArguments().map((a) => a.getValue());
  if (src !== "." && !existsSync(`${root}/${src}`)) fail(`COPY ${src}: no such file in the build context`);
  for (const needed of [src, "CMakeLists.txt", "cli", "common", "mock_provider", "harness", "reports", "cmake", "docs"])
    if (needed !== "." && ignored.some((p) => p.replace(/^\/|\/$/g, "") === needed.split("/")[0]))
      fail(`.dockerignore drops ${needed}, which the build needs`);
}
if (!/scripts\/install-deps\.sh build/.test(text)) fail("the builder must install the build profile (scripts/install-deps.sh build)");

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`Dockerfile: ${stages.length} stages valid (${froms.map((f) => f.getImage()).join(" -> ")}, USER ${user}, ENTRYPOINT ${entrypoint})`);
