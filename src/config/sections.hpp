// Readers of the config file's sections (one file each), used by config.cpp.
#pragma once

#include <string>

#include "config/table_reader.hpp"
#include "tinykws/config.hpp"

namespace tinykws::config {

Status ReadModel(const toml::table& table, const std::string& origin,
                 ModelSpec* model);
Status ReadTraining(const toml::table& table, const std::string& origin,
                    TrainingSpec* training);
Status ReadData(const toml::table& table, const std::string& origin,
                DataSpec* data);
Status ReadAugment(const toml::table& table, const std::string& origin,
                   AugmentSpec* augment);

}  // namespace tinykws::config
