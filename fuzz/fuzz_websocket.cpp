// libFuzzer: a WebSocket session as the server runs it (Beast stream, server role, the
// server's message size limit) fed a valid upgrade request followed by arbitrary frames;
// every message read is answered by the server's own handler (Api::websocket_reply).
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/api.h"

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

constexpr std::string_view kUpgrade =
    "GET /ws/0123456789abcdef0123456789abcdef HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  boost::asio::io_context io;
  beast::test::stream client(io);
  websocket::stream<beast::test::stream> server(io);
  server.next_layer().connect(client);
  server.next_layer().append(kUpgrade);
  server.next_layer().append(std::string_view(reinterpret_cast<const char*>(data), size));
  client.close();  // the server reads end-of-stream after the fuzz bytes
  server.read_message_max(64 * 1024);
  beast::error_code ec;
  server.accept(ec);
  if (ec) return 0;
  beast::flat_buffer buffer;
  for (int messages = 0; messages < 64; ++messages) {
    server.read(buffer, ec);
    if (ec) break;
    const std::string reply = dd::server::Api::websocket_reply("0123456789abcdef0123456789abcdef",
                                                               beast::buffers_to_string(buffer.data()));
    buffer.consume(buffer.size());
    if (!reply.empty()) {
      server.text(true);
      server.write(boost::asio::buffer(reply), ec);
      if (ec) break;
    }
  }
  return 0;
}
