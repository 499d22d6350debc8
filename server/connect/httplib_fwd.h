// zai-connect — forward declarations of cpp-httplib's request and response, so headers that only
// pass them by reference do not pull in httplib.h.
#pragma once

namespace httplib {
struct Request;
struct Response;
class Server;
class Client;
}  // namespace httplib
