#pragma once

// Process exit codes of the llmbench CLI; docs/cli.md lists them for users.
namespace llmbench {

enum ExitCode : int {
  kExitOk = 0,
  // The command ran but its work failed: a run stopped by its max-error predicate,
  // a target that never answered, an I/O failure writing results.
  kExitRunFailed = 1,
  // Bad usage or bad input: unknown flag, malformed scenario or report file. Nothing ran.
  kExitUsage = 2,
  // `llmbench gate`: at least one threshold failed.
  kExitGateFailed = 3,
  // `llmbench run --start-at`: the shard was later than --max-late and did not start (its load
  // would be misaligned with the other shards'). deploy/kubernetes's pod-failure rule matches 4.
  kExitTooLate = 4,
  // Interrupted by SIGINT/SIGTERM; whatever was measured was still written (128 + SIGINT).
  kExitInterrupted = 130,
};

}  // namespace llmbench
