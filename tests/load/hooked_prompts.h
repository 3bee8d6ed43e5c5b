#pragma once

#include <functional>
#include <string>

#include "harness/load/prompt_source.h"

namespace llmbench::load::testing {

// Synthetic prompts with a per-index hook, so a test can give single requests mock control
// headers (x-mock-ttft-ms) or trigger something (request_interrupt) at an exact request.
class HookedPrompts final : public PromptSource {
 public:
  using Hook = std::function<void(std::uint64_t index, harness::ChatRequest& request)>;
  explicit HookedPrompts(Hook hook) : base_(make_synthetic_prompts({})), hook_(std::move(hook)) {}

  harness::ChatRequest request_for(std::uint64_t index) const override {
    harness::ChatRequest request = base_->request_for(index);
    if (hook_) hook_(index, request);
    return request;
  }
  std::string description() const override { return "hooked synthetic"; }

 private:
  PromptSourcePtr base_;
  Hook hook_;
};

}  // namespace llmbench::load::testing
