// zai_native — the listening socket of both servers.
//
// cpp-httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's
// library, so no macro of ours changes it). A burst of new connections while the accept thread
// waits for a CPU overflows that queue, and clients see SYN retries of seconds or a reset: a
// 200-request refresh storm under ASan on a busy machine did. Its default socket options also set
// SO_REUSEPORT, which would let a second server bind a port already in use.
#pragma once

namespace httplib {
class Server;
}

namespace zai {

// Makes `server` open its sockets with SO_REUSEADDR alone and write the one it binds to `*fd`
// (which must outlive the server's binding).
void record_listen_socket(httplib::Server& server, int* fd);

// After a successful bind: listen() again with the system's largest backlog (on Linux this only
// resizes the queue of a socket already listening; should it fail, httplib's backlog stays).
void widen_backlog(int fd);

}  // namespace zai
