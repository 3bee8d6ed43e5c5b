#pragma once

#include "harness/load/prompt_source.h"
#include "harness/load/suite_spec.h"

namespace llmbench::load {

// The prompt source a suite's [prompts] configures, exactly as a run builds it: the runner and
// `llmbench dataset` (which shows what it produces without sending anything) both call this.
// A JSONL file is read here (its filters and sample applied); a ShareGPT dataset and a trace
// were read with the scenario. Throws llmbench::InputError "file:line: field: problem".
PromptSourcePtr make_prompt_source(const PromptSpec& spec);

}  // namespace llmbench::load
