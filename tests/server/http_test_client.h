// A blocking HTTP/1.1 client for tests that drive a real server over a real socket on
// 127.0.0.1: one request per connection, the whole reply read back.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace dd::test {

struct HttpReply {
  int status = 0;  // 0: the server could not be reached or sent no reply
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  nlohmann::json json_body() const { return nlohmann::json::parse(body, nullptr, false); }
};

// Sends one request to 127.0.0.1:port and reads the reply (bodies up to 64 MiB). A failed
// write is ignored: a server that refuses a body early still answers.
inline HttpReply http_request(uint16_t port, boost::beast::http::verb method, const std::string& target,
                              const std::string& body = "", const std::string& content_type = "",
                              const std::map<std::string, std::string>& headers = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  namespace net = boost::asio;
  net::io_context io;
  net::ip::tcp::socket socket(io);
  beast::error_code ec;
  socket.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return {};
  http::request<http::string_body> request(method, target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!content_type.empty()) request.set(http::field::content_type, content_type);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request, ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(socket, buffer, parser, ec);
  if (ec) return {};
  HttpReply reply;
  reply.status = parser.get().result_int();
  reply.body = parser.get().body();
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    reply.headers[name] = std::string(field.value());
  }
  return reply;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace dd::test
