// Fixture of tests/CMakeLists.txt's layers_check_catches_violation: harness includes the mock.
#include "harness/load/runner.h"
#include "mock_provider/mock_server.h"
