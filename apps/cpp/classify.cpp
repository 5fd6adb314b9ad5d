// Classifies images with a model Trainyard exported, with OpenCV's DNN module, preparing them as the
// model card (model.json, beside the model) says:
//
//   classify artifacts/lenet-l2/evaluate/model.onnx digit.png
//   classify artifacts/lenet-l2/evaluate/model.onnx t10k-images-idx3-ubyte [count]
//
// For a PNG, prints each class's probability; for an IDX file (gzipped or not), the predicted class of
// each image. --json prints the runtime, the predicted classes' indices and the logits as one JSON object
// instead; --save-input FILE also writes the prepared input (float32, NCHW, this machine's byte order).
// The preparation is apps/python/classify.py's preprocess, step for step, with the same float32 rounding.
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// What goes wrong with the user's files: reported as one line, exit status 1.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One image as the dataset's files store it (model.json's preprocessing.source): bytes, rows then
// columns then channels. Rows and columns are 0 when the source's images vary in size (null).
struct Source {
  int channels, rows, columns;
  bool anySize() const { return rows == 0; }
  size_t size() const { return size_t(channels) * rows * columns; }
};

// Images in that layout, one after another, all of one size: the files' bytes, or floats where made gray.
struct Raw {
  size_t count = 0;
  int rows = 0, columns = 0;
  std::vector<float> values;
};

// A batch in the model's layout: float32 [count, channels, rows, columns].
struct Batch {
  size_t count = 0;
  int channels = 0, rows = 0, columns = 0;
  std::vector<float> values;
};

// OpenCV's messages run over several lines; one line says enough here.
std::string oneLine(const std::string& text) {
  std::istringstream words(text);
  std::string line, word;
  while (words >> word) line += (line.empty() ? "" : " ") + word;
  while (!line.empty() && (line.back() == '>' || line.back() == ' ')) line.pop_back();
  return line;
}

std::vector<uint8_t> readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure(path.string() + ": cannot read it");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& data, const fs::path& path) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw Failure("zlib: inflateInit2 failed");
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = uInt(data.size());
  std::vector<uint8_t> out;
  int status = Z_OK;
  while (status == Z_OK) {
    out.resize(out.size() + std::max<size_t>(data.size() * 4, 1 << 20));
    z.next_out = out.data() + z.total_out;
    z.avail_out = uInt(out.size() - z.total_out);
    status = inflate(&z, Z_NO_FLUSH);
  }
  out.resize(z.total_out);
  inflateEnd(&z);
  if (status != Z_STREAM_END) throw Failure(path.string() + ": a damaged gzip file");
  return out;
}

// ITU-R BT.601 luma, the grayscale step's weights.
double luma(double r, double g, double b) { return 0.299 * r + 0.587 * g + 0.114 * b; }

// `count` pixels of `from` channels (1 gray, 2 gray and alpha, 3 RGB, 4 RGBA) with `to`, as Trainyard converts
// files: alpha dropped, one channel repeated to three, three made one as the grayscale step does (a float, not
// rounded to a byte).
std::vector<float> toChannels(const uint8_t* pixels, size_t count, int from, int to) {
  if (to != 1 && to != 3) throw Failure("model.json's source has " + std::to_string(to) + " channels; only 1 or 3 are images");
  std::vector<float> out(count * to);
  const bool colour = from >= 3;
  for (size_t p = 0; p < count; ++p) {
    const uint8_t* at = pixels + p * from;
    if (to == 3)
      for (int ch = 0; ch < 3; ++ch) out[p * 3 + ch] = at[colour ? ch : 0];
    else
      out[p] = colour ? float(luma(at[0], at[1], at[2])) : at[0];
  }
  return out;
}

json loadCard(const fs::path& model) {
  const fs::path path = model.parent_path() / "model.json";
  if (!fs::is_regular_file(path)) throw Failure(path.string() + ": no such file (the model card goes beside the model)");
  json card;
  try {
    card = json::parse(readFile(path));
    const json& shape = card.at("preprocessing").at("source").at("shape");
    // Rows and columns are both null when the source's images vary in size.
    const bool anySize = shape.is_array() && shape.size() == 3 && shape[1].is_null() && shape[2].is_null();
    bool ok = shape.is_array() && shape.size() == 3;
    for (size_t i = 0; ok && i < (anySize ? 1 : 3); ++i) ok = shape[i].is_number_integer() && shape[i].get<int>() > 0;
    if (!ok) throw Failure(path.string() + ": preprocessing.source.shape is " + shape.dump() + ", not [channels, rows, columns]");
    for (const json& step : card.at("preprocessing").at("steps")) {
      const std::string type = step.at("type");
      // Margins index memory: whole and non-negative, as the schema has them.
      static const std::map<std::string, std::vector<std::string>> numbers = {
          {"scale", {"divide"}}, {"grayscale", {}}, {"resize", {"value"}}, {"center-crop", {}}, {"pad", {"value"}}, {"normalize", {"mean", "std"}}};
      const auto known = numbers.find(type);
      if (known == numbers.end()) throw Failure(path.string() + ": unknown preprocessing step '" + type + "'");
      for (const std::string& key : known->second)
        if (!step.at(key).is_number()) throw Failure(path.string() + ": step " + type + "'s " + key + " is not a number");
      if (type == "pad")
        for (const char* key : {"top", "bottom", "left", "right"})
          if (!step.at(key).is_number_unsigned()) throw Failure(path.string() + ": step pad's " + key + " is not a whole number of 0 or more");
      if (type == "resize" || type == "center-crop")
        for (const char* key : {"height", "width"})
          if (!step.at(key).is_number_unsigned() || step[key].get<int>() < 1) throw Failure(path.string() + ": step " + type + "'s " + key + " is not a whole number of 1 or more");
      if (type == "resize" && step.at("fit") != "stretch" && step["fit"] != "contain" && step["fit"] != "cover")
        throw Failure(path.string() + ": step resize's fit is " + step["fit"].dump() + ", not stretch, contain or cover");
    }
    if (!card.at("input").at("shape").is_array()) throw Failure(path.string() + ": input.shape is not an array");
    for (const json& name : card.at("classes")) name.get<std::string>();
  } catch (const json::exception& e) {
    throw Failure(path.string() + ": not a model card (" + e.what() + ")");
  }
  return card;
}

Source sourceOf(const json& card) {
  const json& s = card["preprocessing"]["source"]["shape"];
  return {s[0].get<int>(), s[1].is_null() ? 0 : s[1].get<int>(), s[2].is_null() ? 0 : s[2].get<int>()};
}

// The images of an IDX file of bytes ([n, rows, columns] or [n, rows, columns, channels]), the first
// `count` of them if given. Of the source's size, or of any when the source's vary, channels converted.
Raw readIdx(const fs::path& path, std::optional<size_t> count, const Source& source) {
  std::vector<uint8_t> data = readFile(path);
  if (data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b) data = gunzip(data, path);
  if (data.size() < 4 || data[0] != 0 || data[1] != 0 || data[2] != 0x08) throw Failure(path.string() + ": not an IDX file of unsigned bytes");
  const size_t header = 4 + 4 * size_t(data[3]);
  if (data[3] < 3 || data.size() < header) throw Failure(path.string() + ": not an IDX file of images");
  std::vector<size_t> dims;
  for (size_t i = 4; i < header; i += 4) dims.push_back(size_t(data[i]) << 24 | size_t(data[i + 1]) << 16 | size_t(data[i + 2]) << 8 | data[i + 3]);
  size_t perImage = 1;
  std::string shape;
  for (size_t i = 1; i < dims.size(); ++i) {
    perImage *= dims[i];
    shape += (i > 1 ? "x" : "") + std::to_string(dims[i]);
  }
  if (source.anySize() && dims.size() > 4) throw Failure(path.string() + ": images of " + shape + ", not [rows, columns] or [rows, columns, channels]");
  if (!source.anySize() && perImage != source.size())
    throw Failure(path.string() + ": images of " + shape + "; model.json's source is " + std::to_string(source.channels) + "x" + std::to_string(source.rows) + "x" + std::to_string(source.columns));
  if (data.size() < header + dims[0] * perImage) throw Failure(path.string() + ": shorter than its header says");
  Raw raw;
  raw.count = count ? std::min(*count, dims[0]) : dims[0];
  const uint8_t* first = data.data() + header;
  if (!source.anySize()) {
    raw.rows = source.rows;
    raw.columns = source.columns;
    raw.values.assign(first, first + raw.count * perImage);
    return raw;
  }
  raw.rows = int(dims[1]);
  raw.columns = int(dims[2]);
  raw.values = toChannels(first, raw.count * dims[1] * dims[2], dims.size() == 4 ? int(dims[3]) : 1, source.channels);
  return raw;
}

// A PNG as the dataset's files store one image, its channels converted to the source's as Trainyard converts
// files. Its size must be the source's unless those vary: resizing would give the model other numbers than
// those it was evaluated on.
Raw readPng(const fs::path& path, const Source& source) {
  // UNCHANGED keeps grayscale as one channel and 16-bit samples as 16 bits, so neither passes unnoticed.
  const cv::Mat image = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  if (image.empty()) throw Failure(path.string() + ": not an image OpenCV can read");
  if (image.depth() != CV_8U) throw Failure(path.string() + ": " + std::to_string(8 * image.elemSize1()) + "-bit samples; model.json's source is 8-bit");
  if (!source.anySize() && (image.rows != source.rows || image.cols != source.columns))
    throw Failure(path.string() + " is " + std::to_string(image.cols) + "x" + std::to_string(image.rows) + "; model.json's source is " + std::to_string(source.columns) + "x" +
                  std::to_string(source.rows) + ": resize the image first");
  const int c = image.channels();
  std::vector<uint8_t> pixels(image.total() * c);
  for (int y = 0; y < image.rows; ++y) {
    const uint8_t* row = image.ptr<uint8_t>(y);
    for (int x = 0; x < image.cols; ++x)
      for (int ch = 0; ch < c; ++ch)
        // OpenCV decodes to BGR(A); PNG stores RGB(A).
        pixels[(size_t(y) * image.cols + x) * c + ch] = row[x * c + (c >= 3 && ch < 3 ? 2 - ch : ch)];
  }
  Raw raw;
  raw.count = 1;
  raw.rows = image.rows;
  raw.columns = image.cols;
  raw.values = toChannels(pixels.data(), image.total(), c, source.channels);
  return raw;
}

// A batch's planes (one per image and channel) on a rows x columns canvas of `value`, each with its top-left
// corner at (top, left).
Batch place(const Batch& b, int rows, int columns, int top, int left, float value) {
  Batch out{b.count, b.channels, rows, columns, std::vector<float>(b.count * b.channels * rows * columns, value)};
  for (size_t plane = 0; plane < b.count * b.channels; ++plane)
    for (int y = 0; y < b.rows; ++y)
      std::copy_n(&b.values[(plane * b.rows + y) * b.columns], b.columns, &out.values[(plane * rows + y + top) * columns + left]);
  return out;
}

// The middle rows x columns of each plane, from row floor((h - rows) / 2) and column floor((w - columns) / 2).
Batch centerCrop(const Batch& b, int rows, int columns) {
  if (rows > b.rows || columns > b.columns)
    throw Failure("model.json: center-crop to " + std::to_string(rows) + "x" + std::to_string(columns) + " of images of " + std::to_string(b.rows) + "x" + std::to_string(b.columns));
  const int top = (b.rows - rows) / 2, left = (b.columns - columns) / 2;
  Batch out{b.count, b.channels, rows, columns, std::vector<float>(b.count * b.channels * rows * columns)};
  for (size_t plane = 0; plane < b.count * b.channels; ++plane)
    for (int y = 0; y < rows; ++y)
      std::copy_n(&b.values[(plane * b.rows + y + top) * b.columns + left], columns, &out.values[(plane * rows + y) * columns]);
  return out;
}

// The resize step: OpenCV's bilinear resampling (INTER_LINEAR, on float32) of each plane; for contain the
// result centred on a canvas of the step's value, for cover its middle. Those two scale by the smaller ratio
// or the larger, the other side rounded to the nearest integer, halves up.
Batch resize(const Batch& b, const json& step) {
  const int height = step["height"], width = step["width"];
  const std::string fit = step["fit"];
  int rows = height, columns = width;
  const long h = b.rows, w = b.columns;
  if (fit != "stretch" && (height * w <= width * h) == (fit == "contain")) columns = int(std::max(1L, (2 * w * height + h) / (2 * h)));
  else if (fit != "stretch") rows = int(std::max(1L, (2 * h * width + w) / (2 * w)));
  Batch out{b.count, b.channels, rows, columns, std::vector<float>(b.count * b.channels * rows * columns)};
  for (size_t plane = 0; plane < b.count * b.channels; ++plane) {
    const cv::Mat from(b.rows, b.columns, CV_32F, const_cast<float*>(&b.values[plane * b.rows * b.columns]));
    cv::Mat to(rows, columns, CV_32F, &out.values[plane * rows * columns]);
    cv::resize(from, to, to.size(), 0, 0, cv::INTER_LINEAR);
  }
  if (fit == "contain") return place(out, height, width, (height - rows) / 2, (width - columns) / 2, float(step["value"].get<double>()));
  return fit == "cover" ? centerCrop(out, height, width) : out;
}

// The card's steps, in order. Each step computes in double (resize: in OpenCV's float32) and stores float32,
// as Trainyard's data stage does (and apps/python/classify.py, apps/web/preprocess.js): the model sees the
// numbers it was evaluated on.
Batch preprocess(const Raw& raw, const json& card) {
  const int c = sourceOf(card).channels;
  Batch b{raw.count, c, raw.rows, raw.columns, std::vector<float>(raw.values.size())};
  for (size_t n = 0; n < b.count; ++n)
    for (int y = 0; y < b.rows; ++y)
      for (int x = 0; x < b.columns; ++x)
        for (int ch = 0; ch < c; ++ch)
          b.values[((n * c + ch) * b.rows + y) * b.columns + x] = raw.values[((n * b.rows + y) * b.columns + x) * c + ch];
  for (const json& step : card["preprocessing"]["steps"]) {
    const std::string type = step["type"];
    if (type == "scale") {
      const double divide = step["divide"];
      for (float& v : b.values) v = float(double(v) / divide);
    } else if (type == "normalize") {
      const double mean = step["mean"], std = step["std"];
      for (float& v : b.values) v = float((double(v) - mean) / std);
    } else if (type == "grayscale") {
      if (b.channels != 3) throw Failure("model.json: grayscale of images of " + std::to_string(b.channels) + " channel(s), not 3");
      const size_t plane = size_t(b.rows) * b.columns;
      std::vector<float> gray(b.count * plane);
      for (size_t n = 0; n < b.count; ++n)
        for (size_t i = 0; i < plane; ++i) {
          const float* rgb = &b.values[n * 3 * plane + i];
          gray[n * plane + i] = float(luma(rgb[0], rgb[plane], rgb[2 * plane]));
        }
      b.values = std::move(gray);
      b.channels = 1;
    } else if (type == "resize") {
      b = resize(b, step);
    } else if (type == "center-crop") {
      b = centerCrop(b, step["height"], step["width"]);
    } else if (type == "pad") {
      const int top = step["top"], bottom = step["bottom"], left = step["left"], right = step["right"];
      b = place(b, b.rows + top + bottom, b.columns + left + right, top, left, float(step["value"].get<double>()));
    }
  }
  const json& input = card["input"]["shape"];
  const json expected = {b.channels, b.rows, b.columns};
  if (json(std::vector<json>(input.begin() + 1, input.end())) != expected)
    throw Failure("model.json: the steps give " + expected.dump() + " per image; the model reads " + input.dump());
  return b;
}

// The model's logits, [count][classes], fed at most `perRun` images at a time to bound OpenCV's memory.
std::vector<std::vector<float>> run(const fs::path& model, const Batch& b, size_t perRun = 1000) {
  cv::dnn::Net net;
  // OpenCV logs a failed import before throwing it: the exception alone, on one line, says enough.
  const auto level = cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  try {
    net = cv::dnn::readNetFromONNX(model.string());
  } catch (const cv::Exception& e) {
    cv::utils::logging::setLogLevel(level);
    throw Failure(model.string() + ": OpenCV cannot read it: " + oneLine(e.what()));
  }
  cv::utils::logging::setLogLevel(level);
  std::vector<std::vector<float>> logits;
  const size_t perImage = size_t(b.channels) * b.rows * b.columns;
  for (size_t first = 0; first < b.count; first += perRun) {
    const int n = int(std::min(perRun, b.count - first));
    const int dims[] = {n, b.channels, b.rows, b.columns};
    // A view of the batch, not a copy: setInput copies what it needs.
    const cv::Mat blob(4, dims, CV_32F, const_cast<float*>(&b.values[first * perImage]));
    net.setInput(blob);
    const cv::Mat out = net.forward().reshape(1, n);
    for (int i = 0; i < n; ++i) logits.emplace_back(out.ptr<float>(i), out.ptr<float>(i) + out.cols);
  }
  return logits;
}

std::vector<double> softmax(const std::vector<float>& logits) {
  const double max = *std::max_element(logits.begin(), logits.end());
  std::vector<double> p;
  double sum = 0;
  for (float v : logits) sum += p.emplace_back(std::exp(v - max));
  for (double& v : p) v /= sum;
  return p;
}

const char* const USAGE = "usage: classify <model.onnx> <image.png | images.idx[.gz]> [count] [--json] [--save-input FILE]";

int classify(int argc, char** argv) {
  std::vector<std::string> args;
  bool asJson = false;
  std::optional<fs::path> saveInput;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json") asJson = true;
    else if (a == "--save-input" && i + 1 < argc) saveInput = argv[++i];
    else if (a.rfind("--", 0) == 0) throw std::invalid_argument("unknown option " + a);
    else args.push_back(a);
  }
  if (args.size() < 2 || args.size() > 3) throw std::invalid_argument("expected a model and images");
  std::optional<size_t> count;
  if (args.size() == 3) {
    if (args[2].empty() || args[2].find_first_not_of("0123456789") != std::string::npos || std::stoul(args[2]) == 0)
      throw std::invalid_argument("count must be 1 or more");
    count = std::stoul(args[2]);
  }
  const fs::path model = args[0], images = args[1];
  for (const fs::path& p : {model, images})
    if (!fs::is_regular_file(p)) throw Failure(p.string() + ": no such file");
  const json card = loadCard(model);
  const Source source = sourceOf(card);

  std::vector<uint8_t> head(8);
  std::ifstream(images, std::ios::binary).read(reinterpret_cast<char*>(head.data()), 8);
  const bool png = head == std::vector<uint8_t>{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  const bool idx = (head[0] == 0x1f && head[1] == 0x8b) || (head[0] == 0 && head[1] == 0 && head[2] == 0x08);
  if (!png && !idx) throw Failure(images.string() + ": neither a PNG nor an IDX file");
  const Batch batch = preprocess(png ? readPng(images, source) : readIdx(images, count, source), card);
  if (saveInput) {
    std::ofstream out(*saveInput, std::ios::binary);
    out.write(reinterpret_cast<const char*>(batch.values.data()), std::streamsize(batch.values.size() * sizeof(float)));
    if (!out) throw Failure(saveInput->string() + ": cannot write it");
  }
  const auto logits = run(model, batch);
  const std::vector<std::string> classes = card["classes"];
  const std::string runtime = "OpenCV " + cv::getVersionString() + " (cv::dnn)";
  std::vector<size_t> predicted;
  for (const auto& row : logits) {
    if (row.size() != classes.size()) throw Failure("the model gives " + std::to_string(row.size()) + " scores; model.json names " + std::to_string(classes.size()) + " classes");
    predicted.push_back(size_t(std::max_element(row.begin(), row.end()) - row.begin()));
  }

  if (asJson) {
    std::cout << json{{"runtime", runtime}, {"predicted", predicted}, {"logits", logits}}.dump() << '\n';
    return 0;
  }
  std::cout << "runtime: " << runtime << '\n';
  if (png) {
    const auto p = softmax(logits[0]);
    for (size_t k = 0; k < classes.size(); ++k) std::cout << classes[k] << '\t' << std::fixed << std::setprecision(4) << p[k] << '\n';
  } else {
    for (size_t i = 0; i < predicted.size(); ++i) std::cout << i << ' ' << classes[predicted[i]] << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return classify(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::cerr << "classify: " << e.what() << '\n' << USAGE << '\n';
    return 2;
  } catch (const Failure& e) {
    std::cerr << "classify: " << e.what() << '\n';
  } catch (const cv::Exception& e) {
    std::cerr << "classify: OpenCV: " << oneLine(e.what()) << '\n';
  } catch (const std::exception& e) {
    std::cerr << "classify: " << e.what() << '\n';
  }
  return 1;
}
