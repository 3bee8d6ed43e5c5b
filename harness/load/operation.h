#pragma once

#include "harness/client/operation.h"

namespace llmbench::load {
using harness::Operation;
}  // namespace llmbench::load
