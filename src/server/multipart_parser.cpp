#include "server/multipart_parser.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "server/header_text.h"

namespace dd::server {
namespace {

// Finds parameter `key` in a header value like `form-data; name="file"; filename="a b.mp4"`.
std::optional<std::string> header_parameter(std::string_view value, std::string_view key) {
  const size_t size = value.size();
  size_t i = value.find(';');
  if (i == std::string_view::npos) return std::nullopt;
  ++i;
  while (i < size) {
    while (i < size && (value[i] == ' ' || value[i] == '\t')) ++i;
    const size_t equals = value.find('=', i);
    const size_t semicolon = value.find(';', i);
    if (equals == std::string_view::npos || (semicolon != std::string_view::npos && semicolon < equals)) {
      if (semicolon == std::string_view::npos) return std::nullopt;
      i = semicolon + 1;
      continue;
    }
    const std::string name = lower_ascii(trim_header_space(value.substr(i, equals - i)));
    i = equals + 1;
    while (i < size && (value[i] == ' ' || value[i] == '\t')) ++i;
    std::string parsed;
    if (i < size && value[i] == '"') {
      for (++i; i < size && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < size) ++i;
        parsed.push_back(value[i]);
      }
      const size_t next = value.find(';', std::min(i, size));
      i = next == std::string_view::npos ? size : next + 1;
    } else {
      const size_t next = value.find(';', i);
      const size_t stop = next == std::string_view::npos ? size : next;
      parsed = std::string(trim_header_space(value.substr(i, stop - i)));
      i = next == std::string_view::npos ? size : next + 1;
    }
    if (name == key) return parsed;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  if (lower_ascii(trim_header_space(content_type.substr(0, semicolon))) != "multipart/form-data")
    return std::nullopt;
  auto boundary = header_parameter(content_type, "boundary");
  // RFC 2046: 1..70 characters.
  if (!boundary || boundary->empty() || boundary->size() > 70) return std::nullopt;
  return boundary;
}

MultipartParser::MultipartParser(std::string boundary, size_t max_part_header_bytes)
    : delimiter_("\r\n--" + std::move(boundary)), max_part_header_bytes_(max_part_header_bytes) {
  // The first delimiter has no CRLF in front of it; pretend one came before the body.
  buffer_ = "\r\n";
}

Status MultipartParser::feed(std::string_view chunk, MultipartHandler& handler) {
  if (state_ == State::kEpilogue) return ok_status();
  buffer_.append(chunk);
  size_t pos = 0;  // consumed bytes of buffer_
  while (true) {
    std::string_view pending(buffer_.data() + pos, buffer_.size() - pos);
    if (state_ == State::kPreamble) {
      const size_t found = pending.find(delimiter_);
      if (found == std::string_view::npos) {
        // Keep only what could still be the start of a delimiter.
        if (pending.size() >= delimiter_.size()) pos += pending.size() - (delimiter_.size() - 1);
        break;
      }
      pos += found + delimiter_.size();
      state_ = State::kAfterBoundary;
    } else if (state_ == State::kAfterBoundary) {
      if (pending.size() < 2) break;
      if (pending.substr(0, 2) == "--") {
        state_ = State::kEpilogue;
        buffer_.clear();
        return ok_status();
      }
      if (pending.substr(0, 2) != "\r\n")
        return make_error(ErrorCode::kInvalidArgument, "malformed multipart boundary");
      pos += 2;
      state_ = State::kHeaders;
    } else if (state_ == State::kHeaders) {
      const size_t end = pending.find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (pending.size() > max_part_header_bytes_) {
          return make_error(ErrorCode::kInvalidArgument, "multipart part headers too large");
        }
        break;
      }
      if (end > max_part_header_bytes_)
        return make_error(ErrorCode::kInvalidArgument, "multipart part headers too large");
      DD_TRY(parse_headers(pending.substr(0, end), handler));
      pos += end + 4;
      state_ = State::kBody;
    } else if (state_ == State::kBody) {
      const size_t found = pending.find(delimiter_);
      if (found == std::string_view::npos) {
        if (pending.size() >= delimiter_.size()) {
          const size_t safe = pending.size() - (delimiter_.size() - 1);
          DD_TRY(handler.on_part_data(pending.substr(0, safe)));
          pos += safe;
        }
        break;
      }
      if (found > 0) DD_TRY(handler.on_part_data(pending.substr(0, found)));
      DD_TRY(handler.on_part_end());
      pos += found + delimiter_.size();
      state_ = State::kAfterBoundary;
    } else {
      break;
    }
  }
  buffer_.erase(0, pos);
  return ok_status();
}

Status MultipartParser::parse_headers(std::string_view block, MultipartHandler& handler) {
  MultipartPartHeader header;
  bool has_disposition = false;
  while (!block.empty()) {
    const size_t end = std::min(block.find("\r\n"), block.size());
    const std::string_view line = block.substr(0, end);
    block.remove_prefix(std::min(end + 2, block.size()));
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      return make_error(ErrorCode::kInvalidArgument, "malformed multipart header");
    const std::string name = lower_ascii(trim_header_space(line.substr(0, colon)));
    const std::string_view value = trim_header_space(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (lower_ascii(trim_header_space(value.substr(0, value.find(';')))) != "form-data") {
        return make_error(ErrorCode::kInvalidArgument, "multipart part is not form-data");
      }
      auto field = header_parameter(value, "name");
      if (!field) return make_error(ErrorCode::kInvalidArgument, "multipart part without a field name");
      header.name = std::move(*field);
      header.filename = header_parameter(value, "filename");
      has_disposition = true;
    } else if (name == "content-type") {
      header.content_type = std::string(value);
    }
  }
  if (!has_disposition)
    return make_error(ErrorCode::kInvalidArgument, "multipart part without Content-Disposition");
  return handler.on_part_begin(header);
}

}  // namespace dd::server
