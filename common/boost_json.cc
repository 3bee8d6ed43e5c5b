// Debian 12 ships Boost.JSON without its compiled library; this is the one translation unit
// that builds it (Boost.JSON's documented header-only mode). Include <boost/json.hpp> anywhere else.
#include <boost/json/src.hpp>
